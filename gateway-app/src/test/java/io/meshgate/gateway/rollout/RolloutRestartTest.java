package io.meshgate.gateway.rollout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.RolloutRoutes;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A restart resumes a rollout's step where it was: the step, its start and its weights come back
 * from the store, no sticky client changes backend, and the step goes on to the next one.
 */
class RolloutRestartTest {

	private static final String USER_HEADER = RolloutRoutes.USER_HEADER;

	private static final int USERS = 100;

	private final List<AutoCloseable> resources = new ArrayList<>();

	@TempDir
	Path store;

	private int sent;

	@AfterEach
	void tearDown() throws Exception {
		for (AutoCloseable resource : resources) {
			resource.close();
		}
	}

	@Test
	void aRestartResumesTheStepWithoutStartingItAgain() {
		TestUpstream baseline = keep(TestUpstream.start("v1"));
		TestUpstream canary = keep(TestUpstream.start("v2"));
		Map<String, Object> before;
		try (ConfigurableApplicationContext first = start()) {
			AdminClient admin = admin(first);
			GatewayClient ingress = new GatewayClient(port(first, "local.server.port"));
			assertThat(admin.post("/api/upstreams", Map.of("name", "v1", "endpoints", List.of(baseline.url())), null)
				.status()).isEqualTo(200);
			assertThat(admin.post("/api/upstreams", Map.of("name", "v2", "endpoints", List.of(canary.url())), null)
				.status()).isEqualTo(200);
			AdminClient.Answer created = admin.post("/api/routes", RolloutRoutes.shop(List.of(20.0, 50.0, 100.0), Map.of()), null);
			assertThat(created.status()).as(created.body()).isEqualTo(200);
			// stops a few requests into step 2, too few to promote it
			before = drive(admin, ingress, view -> "RUNNING".equals(view.get("phase")) && Integer.valueOf(2).equals(view.get("step")));
		}
		// closing a gateway disposes Reactor Netty's global loops, and the test upstreams with them
		keep(TestUpstream.start("v1", "127.0.0.1", baseline.port()));
		keep(TestUpstream.start("v2", "127.0.0.1", canary.port()));

		try (ConfigurableApplicationContext second = start()) {
			AdminClient admin = admin(second);
			GatewayClient ingress = new GatewayClient(port(second, "local.server.port"));
			Map<String, Object> after = view(admin);

			assertThat(after).containsEntry("phase", "RUNNING").containsEntry("step", 2)
				.containsEntry("stepStarted", before.get("stepStarted")).containsEntry("weights", List.of(50, 50));
			// the split hashes sticky clients by weight alone: the same weights keep every client where it was
			assertThat(RolloutRoutes.summaries(admin).get(0)).startsWith("shop: rollout step 1 → 2 (50 %)");

			Map<String, Object> done = drive(admin, ingress, view -> "DONE".equals(view.get("phase")));
			assertThat(done).containsEntry("step", 3).containsEntry("weights", List.of(0, 100));
			assertThat(RolloutRoutes.summaries(admin).get(0)).startsWith("shop: rollout step 2 → 3 (100 %)");
			assertThat(RolloutRoutes.summaries(admin)).filteredOn(summary -> summary.contains("starts at step 1")).hasSize(1);
		}
	}

	private Map<String, Object> drive(AdminClient admin, GatewayClient ingress, Predicate<Map<String, Object>> until) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> view = view(admin);
			if (until.test(view)) {
				return view;
			}
			for (int i = 0; i < 10; i++) {
				assertThat(ingress.get("/shop/" + sent, Map.of(USER_HEADER, "u" + (sent % USERS))).statusCode())
					.isEqualTo(200);
				sent++;
			}
		}
		return fail("the rollout did not get there within 60 s: " + view(admin));
	}

	private static Map<String, Object> view(AdminClient admin) {
		AdminClient.Answer answer = admin.get("/api/routes/shop/rollout");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(MeshgateApplication.class).run("--server.port=0",
				"--management.server.port=0", "--meshgate.demo.enabled=false", "--meshgate.store.path=" + store,
				"--meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"--meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH,
				"--meshgate.admin.users[0].roles[0]=editor");
	}

	private static AdminClient admin(ConfigurableApplicationContext context) {
		return AdminClient.basic(port(context, "local.management.port"), TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getProperty(property));
	}

	private <T extends AutoCloseable> T keep(T resource) {
		resources.add(resource);
		return resource;
	}

}
