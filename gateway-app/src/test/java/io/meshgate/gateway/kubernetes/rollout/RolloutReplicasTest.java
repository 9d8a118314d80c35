package io.meshgate.gateway.kubernetes.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.ManifestRbac;
import io.meshgate.gateway.testing.OwnResourcesApplication;
import io.meshgate.gateway.testing.RolloutRoutes;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;
import io.meshgate.policy.rollout.StepNumbers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas on the kubernetes store, against fabric8's mock API server: exactly one
 * decides the rollout (the Lease), the gates judge both replicas' requests summed exactly (every
 * latency bucket), and when the decider stops mid-step the other takes over the same step, with
 * the stopped replica's requests still counted, and promotes it instead of starting again; the
 * stopped replica, started again, joins the same step and its requests count there.
 */
class RolloutReplicasTest {

	private static final String NAMESPACE = "rollouts";

	private static final String USER_HEADER = RolloutRoutes.USER_HEADER;

	private static final int USERS = 100;

	/** Requests through each replica before the decider stops: too few canary requests to promote. */
	private static final int EACH = 60;

	/** Requests through the restarted replica: with the others', still too few canary requests to promote. */
	private static final int RESTARTED = 20;

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static TestUpstream baseline;

	static TestUpstream canary;

	static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private int sent;

	@BeforeAll
	static void startTwoReplicas() {
		baseline = TestUpstream.start("v1");
		canary = TestUpstream.start("v2");
		replicas.add(replica());
		replicas.add(replica());
	}

	@AfterAll
	static void stop() {
		replicas.forEach(ConfigurableApplicationContext::close);
		canary.close();
		baseline.close();
	}

	/** Stopping one replica leaves the other's servers and the test upstreams running. */
	private static ConfigurableApplicationContext replica() {
		return OwnResourcesApplication.run(API.replicaArguments(NAMESPACE).toArray(String[]::new));
	}

	@Test
	void oneReplicaDecidesOnBothReplicasCountsAndTheStepSurvivesTheDeciderStoppingAndAReplicaRestarting() {
		await().atMost(Duration.ofSeconds(10)).until(() -> deciders().size() == 1);
		ConfigurableApplicationContext decider = deciders().get(0);
		ConfigurableApplicationContext other = replicas.get(replicas.get(0) == decider ? 1 : 0);
		AdminClient admin = admin(other);
		assertThat(admin.post("/api/upstreams", Map.of("name", "v1", "endpoints", List.of(baseline.url())), null).status())
			.isEqualTo(200);
		assertThat(admin.post("/api/upstreams", Map.of("name", "v2", "endpoints", List.of(canary.url())), null).status())
			.isEqualTo(200);
		AdminClient.Answer created = admin.post("/api/routes",
				RolloutRoutes.shop(List.of(50.0, 100.0), Map.of("minRequests", 2 * EACH)), null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		// both replicas serve step 1 before any request counts
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
			.until(() -> replicas.stream().allMatch(replica -> "RUNNING".equals(view(replica).get("phase"))));
		Map<String, Object> started = view(decider);
		assertThat(view(other)).containsEntry("stepStarted", started.get("stepStarted"));

		send(decider, EACH);
		send(other, EACH);

		// the other replica's requests count in the decider's sum, and the decider's in the other's, exactly
		await().atMost(Duration.ofSeconds(5))
			.until(() -> replicas.stream().allMatch(replica -> requests(view(replica)) == 2 * EACH));
		String stepKey = "v2#1@" + started.get("stepStarted");
		StepNumbers summed = decider.getBean(ReplicaCounters.class).numbers("shop", stepKey, Duration.ZERO);
		StepNumbers own = decider.getBean(Rollouts.class).numbers("shop", stepKey, Duration.ZERO);
		StepNumbers others = other.getBean(Rollouts.class).numbers("shop", stepKey, Duration.ZERO);
		assertThat(own.canary().requests() + own.baseline().requests()).isEqualTo(EACH);
		assertThat(summed.canary().latencies().counts())
			.containsExactly(own.canary().latencies().plus(others.canary().latencies()).counts());
		assertThat(summed.baseline().latencies().counts())
			.containsExactly(own.baseline().latencies().plus(others.baseline().latencies()).counts());
		assertThat(summed.canary().requests()).isLessThan(2 * EACH);
		assertThat(other.getBean(DeciderElection.class).isDecider()).isFalse();

		replicas.remove(decider);
		decider.close();

		// the Lease is released on close: the other replica decides within its retry period
		await().atMost(Duration.ofSeconds(10)).until(() -> other.getBean(DeciderElection.class).isDecider());
		Map<String, Object> resumed = view(other);
		assertThat(resumed).containsEntry("phase", "RUNNING").containsEntry("step", 1)
			.containsEntry("stepStarted", started.get("stepStarted"));
		assertThat(requests(resumed)).isEqualTo(2 * EACH);

		// the stopped replica starts again (a new process, a new replica name): it serves the same
		// step from its start, counts what came before it, and what it serves counts on the decider
		ConfigurableApplicationContext restarted = replica();
		replicas.add(restarted);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
			.until(() -> "RUNNING".equals(view(restarted).get("phase")) && requests(view(restarted)) == 2 * EACH);
		assertThat(view(restarted)).containsEntry("step", 1).containsEntry("stepStarted", started.get("stepStarted"));
		assertThat(restarted.getBean(DeciderElection.class).isDecider()).isFalse();
		send(restarted, RESTARTED);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> replicas.stream().allMatch(replica -> requests(view(replica)) == 2 * EACH + RESTARTED));
		assertThat(view(other)).containsEntry("step", 1).containsEntry("stepStarted", started.get("stepStarted"));

		Map<String, Object> done = drive(other, view -> "DONE".equals(view.get("phase")));
		assertThat(done).containsEntry("step", 2).containsEntry("weights", List.of(0, 100));
		List<String> summaries = RolloutRoutes.summaries(admin);
		assertThat(summaries).filteredOn(summary -> summary.contains("starts at step 1")).hasSize(1);
		assertThat(summaries).filteredOn(summary -> summary.startsWith("shop: rollout step 1 → 2")).hasSize(1);
		// the store, the Lease, the published counters: all granted by the Roles the docs give
		assertThat(ManifestRbac.ofManifests().withTheStoreRoleOfTheDocs().ungranted(API.gatewayRequests(), NAMESPACE))
			.isEmpty();
	}

	private static List<ConfigurableApplicationContext> deciders() {
		return replicas.stream().filter(replica -> replica.getBean(DeciderElection.class).isDecider()).toList();
	}

	private void send(ConfigurableApplicationContext replica, int count) {
		GatewayClient ingress = new GatewayClient(port(replica, "local.server.port"));
		for (int i = 0; i < count; i++) {
			assertThat(ingress.get("/shop/" + sent, Map.of(USER_HEADER, "u" + (sent % USERS))).statusCode()).isEqualTo(200);
			sent++;
		}
	}

	private Map<String, Object> drive(ConfigurableApplicationContext replica, Predicate<Map<String, Object>> until) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> view = view(replica);
			if (until.test(view)) {
				return view;
			}
			send(replica, 10);
		}
		return fail("the rollout did not get there within 30 s: " + view(replica));
	}

	/** The requests of both sides counted in the step, as a replica's rollout view gives them. */
	@SuppressWarnings("unchecked")
	static long requests(Map<String, Object> view) {
		Map<String, Object> canaryNumbers = (Map<String, Object>) view.get("canaryNumbers");
		Map<String, Object> baselineNumbers = (Map<String, Object>) view.get("baselineNumbers");
		return canaryNumbers == null ? 0
				: ((Number) canaryNumbers.get("requests")).longValue() + ((Number) baselineNumbers.get("requests")).longValue();
	}

	private static Map<String, Object> view(ConfigurableApplicationContext replica) {
		AdminClient.Answer answer = admin(replica).get("/api/routes/shop/rollout");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private static AdminClient admin(ConfigurableApplicationContext replica) {
		return AdminClient.basic(port(replica, "local.management.port"), TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getProperty(property));
	}

}
