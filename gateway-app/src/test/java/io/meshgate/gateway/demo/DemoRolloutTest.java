package io.meshgate.gateway.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The walkthrough of docs/rollouts.md against the demo: a rollout of {@code demo-v3}, which fails
 * one request in four, is rolled back, and the history says why.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.store.path=target/stores/demo-rollout-${random.uuid}",
				"meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "meshgate.admin.users[0].roles[0]=editor" })
class DemoRolloutTest {

	/** The route of docs/rollouts.md's walkthrough. */
	static final String CHECKOUT = """
			{"id": "checkout", "match": {"path": "/checkout/**"},
			 "backends": [{"upstream": "checkout-v1", "weight": 100}, {"upstream": "checkout-v3", "weight": 0}],
			 "canary": {"stickyOn": "header:x-user",
			            "rollout": {"steps": [10, 50, 100], "stepDuration": "20s", "checkInterval": "2s", "minRequests": 50}}}
			""";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int adminPort;

	@Test
	void theDemosFailingCanaryIsRolledBack() {
		AdminClient admin = AdminClient.basic(adminPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
		GatewayClient ingress = new GatewayClient(port);
		// stored upstreams over the demo's servers (a stored route names stored upstreams only)
		for (String version : List.of("v1", "v3")) {
			AdminClient.Answer stored = admin.post("/api/upstreams",
					Map.of("name", "checkout-" + version, "endpoints", demoEndpoints(admin, "demo-" + version)), null);
			assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		}
		AdminClient.Answer created = admin.sendBytes("POST", "/api/routes", CHECKOUT.getBytes(), "application/json", null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);

		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		Map<String, Object> view = admin.get("/api/routes/checkout/rollout").json();
		for (int sent = 0; !"ROLLED_BACK".equals(view.get("phase")); sent++) {
			if (System.nanoTime() > deadline) {
				fail("not rolled back within 60 s: " + view);
			}
			assertThat(ingress.get("/checkout/" + sent, Map.of("x-user", "u" + sent % 300)).statusCode()).isIn(200, 503);
			if (sent % 20 == 0) {
				view = admin.get("/api/routes/checkout/rollout").json();
			}
		}

		assertThat(view).containsEntry("step", 1).containsEntry("weights", List.of(100, 0));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> history = (List<Map<String, Object>>) admin.get("/api/history").json().get("history");
		assertThat((String) history.get(0).get("summary")).startsWith("checkout: rollout rolled back at step 1 (10 %): canary ");
		for (int user = 0; user < 50; user++) {
			assertThat(ingress.get("/checkout/after", Map.of("x-user", "u" + user)).body()).contains("\"version\":\"v1\"");
		}
	}

	/** The endpoints of a read-only demo upstream, as {@code GET /api/upstreams} lists them. */
	@SuppressWarnings("unchecked")
	private static List<String> demoEndpoints(AdminClient admin, String name) {
		List<Map<String, Object>> upstreams = (List<Map<String, Object>>) admin.get("/api/upstreams").json().get("upstreams");
		return upstreams.stream()
			.map(entry -> (Map<String, Object>) entry.get("upstream"))
			.filter(upstream -> name.equals(upstream.get("name")))
			.map(upstream -> (List<String>) upstream.get("endpoints"))
			.findFirst()
			.orElseThrow();
	}

}
