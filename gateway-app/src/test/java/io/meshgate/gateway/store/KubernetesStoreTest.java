package io.meshgate.gateway.store;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.admin.store.KubernetesRouteStore;
import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas on the kubernetes store, against fabric8's mock API server in CRUD mode:
 * an edit through one replica's admin API is served by the other within 2 seconds, of two writes
 * based on the same version one wins and the other gets 409, and older versions are read from
 * their history ConfigMaps.
 */
class KubernetesStoreTest {

	static final String NAMESPACE = "meshgate";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static TestUpstream orders;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;


	@BeforeAll
	static void startTwoReplicas() {
		orders = TestUpstream.start("orders");
		first = replica();
		second = replica();
	}

	@AfterAll
	static void stop() {
		second.close();
		first.close();
		orders.close();
	}

	private static ConfigurableApplicationContext replica() {
		return new SpringApplicationBuilder(MeshgateApplication.class).run(API.replicaArguments(NAMESPACE).toArray(String[]::new));
	}

	@Test
	void anEditThroughOneReplicaIsServedByTheOtherWithinTwoSeconds() {
		GatewayClient other = new GatewayClient(port(second, "local.server.port"));
		assertThat(other.get("/orders/1").statusCode()).isEqualTo(404);

		assertThat(send(first, "PUT", "/api/upstreams/orders", "{\"endpoints\":[\"" + orders.url() + "\"]}", null)
			.statusCode()).isEqualTo(200);
		HttpResponse<String> route = send(first, "PUT", "/api/routes/orders",
				"{\"match\":{\"path\":\"/orders/**\"},\"backends\":[{\"upstream\":\"orders\"}]}", null);
		assertThat(route.statusCode()).as(route.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> other.get("/orders/1").body(), "orders"::equals);
		ConfigMap stored = API.client().configMaps().inNamespace(NAMESPACE).withName("meshgate-routes").get();
		assertThat(stored.getData().get(KubernetesRouteStore.DATA_KEY)).contains("/orders/**");
		assertThat(send(second, "GET", "/api/history", null, null).body()).contains("create route orders");
	}

	@Test
	void ofTwoWritesOfOneItemOnTheSameVersionOneWinsAndTheOtherGets409() {
		await().atMost(Duration.ofSeconds(2))
			.until(() -> etag(send(first, "GET", "/api/config", null, null))
				.equals(etag(send(second, "GET", "/api/config", null, null))));
		String version = etag(send(first, "GET", "/api/config", null, null));

		// the same item through both replicas: the second write conflicts whether or not its replica has seen the first
		HttpResponse<String> won = send(first, "PUT", "/api/upstreams/contested", "{\"endpoints\":[\"http://127.0.0.1:9\"]}",
				version);
		HttpResponse<String> lost = send(second, "PUT", "/api/upstreams/contested",
				"{\"endpoints\":[\"http://127.0.0.1:10\"]}", version);

		assertThat(won.statusCode()).as(won.body()).isEqualTo(200);
		assertThat(lost.statusCode()).as(lost.body()).isEqualTo(409);
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			String config = send(second, "GET", "/api/config", null, null).body();
			assertThat(config).contains("\"http://127.0.0.1:9\"").doesNotContain("\"http://127.0.0.1:10\"");
		});
	}

	@Test
	void anOlderVersionIsReadFromItsHistoryConfigMapAndCanBeRolledBackTo() {
		HttpResponse<String> created = send(first, "PUT", "/api/upstreams/rolled", "{\"endpoints\":[\"http://127.0.0.1:11\"]}",
				null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		String version = etag(created).replace("\"", "");
		assertThat(send(first, "PUT", "/api/upstreams/rolled", "{\"endpoints\":[\"http://127.0.0.1:12\"]}", null)
			.statusCode()).isEqualTo(200);

		HttpResponse<String> old = send(second, "GET", "/api/history/" + version, null, null);
		HttpResponse<String> rollback = send(first, "POST", "/api/history/" + version + "/rollback", null, null);

		assertThat(old.statusCode()).as(old.body()).isEqualTo(200);
		assertThat(old.body()).contains("http://127.0.0.1:11").doesNotContain("http://127.0.0.1:12");
		assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(send(second, "GET", "/api/upstreams/rolled", null, null).body())
				.contains("http://127.0.0.1:11"));
		assertThat(send(second, "GET", "/api/history/0", null, null).statusCode()).isEqualTo(404);
	}

	private static String etag(HttpResponse<String> response) {
		return response.headers().firstValue("ETag").orElseThrow();
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext replica, String method, String path,
			String json, String ifMatch) {
		return AdminClient.basic(port(replica, "local.management.port"), TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD)
			.send(method, path, json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch))
			.response();
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getProperty(property));
	}

}
