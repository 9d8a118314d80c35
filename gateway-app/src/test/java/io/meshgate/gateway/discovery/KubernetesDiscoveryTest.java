package io.meshgate.gateway.discovery;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upstreams discovered from a Kubernetes Service, against fabric8's mock API server in CRUD mode:
 * the gateway is wired exactly as in a cluster (Spring Cloud Kubernetes builds the client).
 * The Service's pods are real servers on 127.0.0.2 and 127.0.0.3, sharing one port as pods do.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's JVM statics
class KubernetesDiscoveryTest {

	static final String NAMESPACE = "shop";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final TestUpstream POD_A;

	static final TestUpstream POD_B;

	static {
		POD_A = TestUpstream.start("pod-a", "127.0.0.2", 0);
		POD_B = TestUpstream.start("pod-b", "127.0.0.3", POD_A.port());
	}

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.store.path", () -> "target/stores/discovery-" + java.util.UUID.randomUUID());
		API.gatewayProperties(properties, NAMESPACE);
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.VIEWER);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.VIEWER_HASH);
		properties.add("meshgate.upstreams[0].name", () -> "orders");
		properties.add("meshgate.upstreams[0].discovery.service-id", () -> "orders");
		properties.add("meshgate.upstreams[1].name", () -> "orders-v2");
		properties.add("meshgate.upstreams[1].discovery.service-id", () -> "orders");
		properties.add("meshgate.upstreams[1].discovery.subset.version", () -> "v2");
		properties.add("meshgate.upstreams[2].name", () -> "payments");
		properties.add("meshgate.upstreams[2].discovery.service-id", () -> "payments");
		properties.add("meshgate.routes[0].id", () -> "orders");
		properties.add("meshgate.routes[0].match.path", () -> "/orders/**");
		properties.add("meshgate.routes[0].backends[0].upstream", () -> "orders");
		properties.add("meshgate.routes[1].id", () -> "orders-v2");
		properties.add("meshgate.routes[1].match.path", () -> "/v2/orders/**");
		properties.add("meshgate.routes[1].backends[0].upstream", () -> "orders-v2");
		properties.add("meshgate.routes[2].id", () -> "payments");
		properties.add("meshgate.routes[2].match.path", () -> "/payments/**");
		properties.add("meshgate.routes[2].backends[0].upstream", () -> "payments");
	}

	@Test
	void followsTheServiceEndpointsAsPodsComeAndGo() {
		pod("orders-a", "v1");
		pod("orders-b", "v2");
		endpoints("orders", ready("orders-a", POD_A), ready("orders-b", POD_B));
		GatewayClient client = new GatewayClient(port);

		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> answering(client, "/orders/1"), Set.of("pod-a", "pod-b")::equals);

		endpoints("orders", ready("orders-a", POD_A));
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> answering(client, "/orders/1"), Set.of("pod-a")::equals);

		endpoints("orders", ready("orders-a", POD_A), notReady("orders-b", POD_B));
		assertThat(answering(client, "/orders/1")).containsExactly("pod-a");
	}

	@Test
	void subsetKeepsOnlyPodsWithItsLabels() {
		pod("orders-a", "v1");
		pod("orders-b", "v2");
		endpoints("orders", ready("orders-a", POD_A), ready("orders-b", POD_B));
		GatewayClient client = new GatewayClient(port);

		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> answering(client, "/v2/orders/1"), Set.of("pod-b")::equals);
	}

	@Test
	void serviceWithoutReadyEndpointsAnswers503NamingTheUpstream() {
		endpoints("payments", notReady("payments-a", POD_A));
		GatewayClient client = new GatewayClient(port);

		HttpResponse<String> response = client.get("/payments/7");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"message\":\"no healthy endpoint in upstream payments\"")
			.contains("\"upstream\":\"payments\"");
	}

	/** The distinct endpoints answering 20 requests. */
	private static Set<String> answering(GatewayClient client, String path) {
		return client.bodies(20, 2, i -> path).stream().collect(Collectors.toSet());
	}

	private static void pod(String name, String version) {
		KUBE.resource(new PodBuilder().withNewMetadata()
			.withName(name)
			.withNamespace(NAMESPACE)
			.withLabels(Map.of("app", "orders", "version", version))
			.endMetadata()
			.build()).createOr(NonDeletingOperation::update);
	}

	private static void endpoints(String service, Endpoint... endpoints) {
		KUBE.resource(new EndpointSliceBuilder().withNewMetadata()
			.withName(service + "-abcde")
			.withNamespace(NAMESPACE)
			.withLabels(Map.of("kubernetes.io/service-name", service))
			.endMetadata()
			.withAddressType("IPv4")
			.addNewPort()
			.withName("http")
			.withPort(POD_A.port())
			.withProtocol("TCP")
			.endPort()
			.withEndpoints(List.of(endpoints))
			.build()).createOr(NonDeletingOperation::update);
	}

	private static Endpoint ready(String pod, TestUpstream server) {
		return endpoint(pod, server, true);
	}

	private static Endpoint notReady(String pod, TestUpstream server) {
		return endpoint(pod, server, false);
	}

	private static Endpoint endpoint(String pod, TestUpstream server, boolean ready) {
		return new EndpointBuilder().withAddresses(server.host())
			.withNewConditions()
			.withReady(ready)
			.endConditions()
			.withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(pod).withNamespace(NAMESPACE).build())
			.build();
	}

}
