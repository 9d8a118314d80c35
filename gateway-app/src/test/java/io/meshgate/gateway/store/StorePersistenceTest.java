package io.meshgate.gateway.store;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.admin.store.FileRouteStore;
import io.meshgate.admin.store.StoredConfig;
import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The file store across restarts and crashes: every acknowledged change is back after a restart,
 * application.yml seeds only the first start, a store of an earlier release starts with its
 * history, and a {@code kill -9} in the middle of a stream of writes leaves the last acknowledged
 * version readable.
 */
class StorePersistenceTest {

	final List<AutoCloseable> resources = new ArrayList<>();

	Process child;

	@TempDir
	Path store;

	@AfterEach
	void tearDown() throws Exception {
		if (child != null) {
			child.destroyForcibly().waitFor();
		}
		for (AutoCloseable resource : resources) {
			resource.close();
		}
	}

	@Test
	void everyAcknowledgedChangeIsBackAfterARestartAndApplicationYmlSeedsOnlyTheFirstStart() throws Exception {
		TestUpstream seeded = upstream("seeded");
		TestUpstream added = upstream("added");
		int ingress;
		int admin;
		try (ConfigurableApplicationContext first = startSeeding(seeded.url(), "/seeded/**")) {
			ingress = port(first, "local.server.port");
			admin = port(first, "local.management.port");
			assertThat(new GatewayClient(ingress).get("/seeded/1").body()).isEqualTo("seeded");
			assertThat(send(admin, "POST", "/api/upstreams", "{\"name\":\"added\",\"endpoints\":[\"" + added.url() + "\"]}")
				.statusCode()).isEqualTo(200);
			assertThat(send(admin, "POST", "/api/routes",
					"{\"id\":\"added\",\"match\":{\"path\":\"/added/**\"},\"backends\":[{\"upstream\":\"added\"}]}")
				.statusCode()).isEqualTo(200);
		}

		// Closing a gateway disposes Reactor Netty's global loops, and the test upstreams with them
		resources.add(TestUpstream.start("seeded", "127.0.0.1", seeded.port()));
		resources.add(TestUpstream.start("added", "127.0.0.1", added.port()));
		// application.yml now says something else: the store is the truth after the first start
		try (ConfigurableApplicationContext second = startSeeding("http://127.0.0.1:9", "/changed/**")) {
			GatewayClient client = new GatewayClient(port(second, "local.server.port"));
			assertThat(client.get("/seeded/1").body()).isEqualTo("seeded");
			assertThat(client.get("/added/1").body()).isEqualTo("added");
			assertThat(client.get("/changed/1").statusCode()).isEqualTo(404);
			String history = send(port(second, "local.management.port"), "GET", "/api/history", null).body();
			assertThat(history).contains("\"version\":3").contains("create route added").contains("seeded from");
		}
	}

	@Test
	void aStoreOfAnEarlierReleaseStartsWithItsHistoryAndRollsBackToAVersionReadFromDisk() throws Exception {
		TestUpstream v1 = upstream("v1");
		TestUpstream v2 = upstream("v2");
		// meshgate-config.yaml as earlier releases wrote it: every version kept, newest first
		Files.writeString(store.resolve(FileRouteStore.LEGACY_FILE_NAME), """
				format: 1
				history:
				  - version: 2
				    author: bob
				    time: '2026-11-02T10:00:00Z'
				    summary: put upstream shop
				    config:
				      upstreams: [{name: shop, endpoints: ['%s']}]
				      routes: [{id: shop, match: {path: /shop/**}, backends: [{upstream: shop}]}]
				  - version: 1
				    author: alice
				    time: '2026-11-01T10:00:00Z'
				    summary: create route shop
				    config:
				      upstreams: [{name: shop, endpoints: ['%s']}]
				      routes: [{id: shop, match: {path: /shop/**}, backends: [{upstream: shop}]}]
				""".formatted(v2.url(), v1.url()));

		try (ConfigurableApplicationContext gateway = start("--meshgate.demo.enabled=false")) {
			GatewayClient ingress = new GatewayClient(port(gateway, "local.server.port"));
			int admin = port(gateway, "local.management.port");
			assertThat(ingress.get("/shop/1").body()).isEqualTo("v2");
			assertThat(send(admin, "GET", "/api/history", null).body()).contains("\"author\":\"bob\"")
				.contains("\"summary\":\"create route shop\"");

			HttpResponse<String> rollback = send(admin, "POST", "/api/history/1/rollback", null);

			assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
			assertThat(rollback.headers().firstValue("ETag")).hasValue("\"3\"");
			await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/shop/1").body(), "v1"::equals);
		}
		try (var files = Files.list(store.resolve(FileRouteStore.VERSIONS))) {
			assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1.yaml", "2.yaml", "3.yaml");
		}
		assertThat(store.resolve(FileRouteStore.LEGACY_FILE_NAME)).doesNotExist();
		assertThat(store.resolve(FileRouteStore.LEGACY_FILE_NAME + ".migrated")).exists();
	}

	@Test
	void aStartWithNothingToSeedLeavesTheStoreEmptySoALaterConfigurationStillSeedsIt() throws Exception {
		TestUpstream seeded = upstream("seeded");
		try (ConfigurableApplicationContext demo = start()) {
			assertThat(send(port(demo, "local.management.port"), "GET", "/api/config", null).headers()
				.firstValue("ETag")).hasValue("\"0\"");
		}
		resources.add(TestUpstream.start("seeded", "127.0.0.1", seeded.port()));

		try (ConfigurableApplicationContext configured = startSeeding(seeded.url(), "/seeded/**")) {
			assertThat(new GatewayClient(port(configured, "local.server.port")).get("/seeded/1").body()).isEqualTo("seeded");
		}
	}

	/** A gateway on this test's store, with an editor login and {@code settings}. */
	private ConfigurableApplicationContext start(String... settings) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--meshgate.store.path=" + store, "--meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"--meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "--meshgate.admin.users[0].roles[0]=editor"));
		arguments.addAll(List.of(settings));
		return new SpringApplicationBuilder(MeshgateApplication.class).run(arguments.toArray(String[]::new));
	}

	/** A gateway whose application.yml has an upstream and a route to seed an empty store with. */
	private ConfigurableApplicationContext startSeeding(String seedEndpoint, String seedPath) {
		return start("--meshgate.upstreams[0].name=seeded", "--meshgate.upstreams[0].endpoints[0]=" + seedEndpoint,
				"--meshgate.routes[0].id=seeded", "--meshgate.routes[0].match.path=" + seedPath,
				"--meshgate.routes[0].backends[0].upstream=seeded");
	}

	private TestUpstream upstream(String name) {
		TestUpstream upstream = TestUpstream.start(name);
		resources.add(upstream);
		return upstream;
	}

	@Test
	void killDashNineDuringFiveHundredWritesLeavesTheLastAcknowledgedVersion() throws Exception {
		int ingress = freePort();
		int admin = freePort();
		Path log = Files.createTempFile("meshgate-crash", ".log");
		child = new ProcessBuilder(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
				MeshgateApplication.class.getName(), "--server.port=" + ingress, "--management.server.port=" + admin,
				"--meshgate.demo.enabled=false", "--meshgate.store.path=" + store, "--meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"--meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "--meshgate.admin.users[0].roles[0]=editor"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> send(admin, "GET", "/api/config", null).statusCode() == 200);

		AtomicLong acknowledged = new AtomicLong();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writes = writer.submit(() -> {
			for (int i = 0; i < 500; i++) {
				HttpResponse<String> answer = send(admin, "PUT", "/api/upstreams/u" + (i % 20),
						"{\"endpoints\":[\"http://127.0.0.1:" + (1000 + i) + "\"]}");
				if (answer.statusCode() != 200) {
					throw new IllegalStateException(answer.statusCode() + " " + answer.body());
				}
				acknowledged.set(Long.parseLong(answer.headers().firstValue("ETag").orElseThrow().replace("\"", "")));
			}
			return null;
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= 200 || writes.isDone());
		child.destroyForcibly(); // SIGKILL, in the middle of the writes
		child.waitFor();
		long last = acknowledged.get();
		writer.shutdownNow();

		assertThat(last).as(Files.readString(log)).isGreaterThanOrEqualTo(200).isLessThan(501);
		FileRouteStore reopened = new FileRouteStore(store, 50, Clock.systemUTC());
		StoredConfig current = reopened.current().orElseThrow();
		// the acknowledged version is there; one more may have been written but not yet answered
		assertThat(current.version()).isBetween(last, last + 1);
		assertThat(reopened.history()).hasSize(50);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> upstreams = (List<Map<String, Object>>) current.config().get("upstreams");
		assertThat(upstreams).isNotEmpty();
		// one file per version kept; a temporary file the kill left behind is gone after the reopen
		try (var files = Files.list(store.resolve(FileRouteStore.VERSIONS))) {
			assertThat(files.map(p -> p.getFileName().toString()))
				.containsExactlyInAnyOrderElementsOf(reopened.history().stream().map(v -> v.version() + ".yaml").toList());
		}
	}

	private static HttpResponse<String> send(int port, String method, String path, String json) {
		return AdminClient.basic(port, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD).send(method, path, json, Map.of())
			.response();
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getProperty(property));
	}

	private static String javaBin() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
