package io.meshgate.gateway.kubernetes.rollout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.ManifestRbac;
import io.meshgate.gateway.testing.OwnResourcesApplication;
import io.meshgate.gateway.testing.ServicePods;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the shipped deployment's shape (the file store, the ingress controller on)
 * serving rollouts declared on HTTPRoutes, against fabric8's mock API server: exactly one replica
 * decides them (the rollout Lease), the other's requests count in the decider's gates, a rollback
 * reaches the replica that does not decide within 5 s of the canary's first 5xx, and a decider
 * killed holding its Lease is replaced once the Lease expires, on the same step with every count
 * so far.
 *
 * <p>The decider is a gateway in a JVM of its own, started first so that it takes the Lease, and
 * killed with {@link Process#destroyForcibly()} (SIGKILL): no release of the Lease, no last
 * publication, no closing of anything, exactly what a node failure or an OOM kill leaves behind.
 * The other replica runs in the test's JVM, where the test reads its election. The Lease is short
 * ({@code meshgate.rollout.lease-duration} 4s) so that waiting for it to expire costs seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpRouteRolloutReplicasTest {

	private static final Log log = LogFactory.getLog(HttpRouteRolloutReplicasTest.class);

	private static final String NAMESPACE = "rollout-replicas";

	private static final String USER_HEADER = "x-user";

	private static final int USERS = 50;

	/** Requests through each replica before the decider is killed: too few canary requests to promote. */
	private static final int EACH = 60;

	private static final Duration LEASE_DURATION = Duration.ofSeconds(4);

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final TestUpstream BASELINE = TestUpstream.start("infra-v1", "127.0.0.2", 0);

	static final TestUpstream CANARY = TestUpstream.start("infra-v2", "127.0.0.3", 0);

	static final TestUpstream FAILING_CANARY = TestUpstream.start("infra-v3", "127.0.0.4", 0);

	/** The replica in a JVM of its own: the decider. */
	static Process decider;

	static Path deciderLog;

	static GatewayClient deciderIngress;

	static int deciderAdmin;

	/** The replica in the test's JVM, which does not decide while the other lives. */
	static ConfigurableApplicationContext other;

	static GatewayClient otherIngress;

	private int sent;

	@BeforeAll
	static void startTwoReplicas() throws IOException {
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: meshgate.io/gateway-controller}
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: shop, namespace: rollout-replicas}
				spec:
				  gatewayClassName: meshgate
				  listeners:
				  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
				""");
		for (TestUpstream pod : List.of(BASELINE, CANARY, FAILING_CANARY)) {
			ServicePods.apply(KUBE, NAMESPACE, pod.name(), null, 8080, pod.host(), pod.port(), Map.of());
		}
		int deciderIngressPort = freePort();
		deciderAdmin = freePort();
		deciderLog = Files.createTempFile("meshgate-decider", ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				MeshgateApplication.class.getName()));
		command.addAll(replicaArguments("decider", deciderIngressPort, deciderAdmin));
		decider = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(deciderLog.toFile()).start();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
			.until(() -> decider.isAlive() && admin(deciderAdmin).get("/api/config").status() == 200
					&& leaseHolder() != null);
		// the decider holds the Lease before the other replica starts, which therefore only counts
		other = OwnResourcesApplication.run(replicaArguments("other", 0, 0).toArray(String[]::new));
		// kept-alive connections, as a load balancer's: the canary fails at the rate a busy route sees
		deciderIngress = new GatewayClient(deciderIngressPort);
		otherIngress = new GatewayClient(Integer.parseInt(other.getEnvironment().getProperty("local.server.port")));
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (decider != null) {
			decider.destroyForcibly().waitFor();
		}
		if (other != null) {
			other.close();
		}
		List.of(BASELINE, CANARY, FAILING_CANARY).forEach(TestUpstream::close);
	}

	/**
	 * A replica of the shipped deployment: the file store of its own, the ingress controller on
	 * this namespace, a short rollout Lease.
	 */
	private static List<String> replicaArguments(String name, int ingress, int admin) {
		String unique = name + "-" + UUID.randomUUID();
		List<String> args = new ArrayList<>(List.of("--server.port=" + ingress, "--management.server.port=" + admin,
				"--meshgate.demo.enabled=false", "--meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"--meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "--meshgate.admin.users[0].roles[0]=editor",
				"--meshgate.store.path=target/stores/" + unique, "--meshgate.kubernetes.ingress.enabled=true",
				"--meshgate.kubernetes.ingress.identity=" + name,
				"--meshgate.kubernetes.ingress.certificate-directory=target/k8s-tls-" + unique,
				"--meshgate.rollout.lease-duration=" + LEASE_DURATION.toSeconds() + "s",
				"--meshgate.rollout.renew-deadline=3s", "--meshgate.rollout.retry-period=500ms"));
		API.gatewayProperties(NAMESPACE).forEach(property -> args.add("--" + property));
		return args;
	}

	/**
	 * A canary that fails is rolled back by the decider, and the replica that does not decide
	 * serves the rollback (the canary's sticky clients answered by the baseline, the canary
	 * receiving nothing more) within 5 s of the canary's first 5xx. The time is in the assertion's
	 * message and the log, split into the decision and its arrival; docs/rollouts.md records it.
	 */
	@Test
	@Order(1)
	void aRollbackReachesTheReplicaThatDoesNotDecideWithinFiveSecondsOfTheFirst5xx() {
		// the consecutive-failure gate trips on a canary that fails every request at once, so that the
		// time measured is the decider's look, its write and the other replica's following it, not
		// the error-share test's wait for evidence, which depends on the traffic's rate (RolloutAdminTest
		// times that on one replica)
		String id = declare("failing", FAILING_CANARY,
				"stepDuration: 1m, minRequests: 20, maxStepDuration: 5m, consecutiveFailures: 10");
		awaitBothAtStepOne(id);
		// the users the canary serves, sticky on both replicas alike
		List<String> canaryUsers = new ArrayList<>();
		for (int user = 0; user < USERS; user++) {
			if (send(otherIngress, "/failing/" + user, "u" + user).body().equals(FAILING_CANARY.name())) {
				canaryUsers.add("u" + user);
			}
		}
		assertThat(canaryUsers).isNotEmpty();
		assertThat(send(deciderIngress, "/failing/0", canaryUsers.get(0)).body()).isEqualTo(FAILING_CANARY.name());

		FAILING_CANARY.status(500);
		Instant failedAt = Instant.now();
		long failing = System.nanoTime();
		Duration took = null;
		try (Traffic traffic = new Traffic("/failing/")) {
			// a canary client through the replica that does not decide, until the baseline answers it
			for (int request = 0; took == null; request++) {
				if (System.nanoTime() - failing > Duration.ofSeconds(15).toNanos()) {
					fail("not rolled back within 15 s: " + view(otherAdmin(), id));
				}
				HttpResponse<String> served = send(otherIngress, "/failing/sticky", canaryUsers.get(request % canaryUsers.size()));
				if (served.statusCode() == 200 && served.body().equals(BASELINE.name())) {
					took = Duration.ofNanos(System.nanoTime() - failing);
				}
			}
			assertThat(traffic.unexpected()).isZero();
		}

		// docs/rollouts.md records these times: the line is logged before the assertion judges it
		Instant decided = Instant.parse((String) timeline(id).get(0).get("time"));
		log.info("Rollback served by the replica that does not decide " + took.toMillis()
				+ " ms after the canary's first 5xx (decided after " + Duration.between(failedAt, decided).toMillis()
				+ " ms, then served there " + Duration.between(decided, failedAt.plus(took)).toMillis() + " ms later)");
		assertThat(took).as("from the canary's first 5xx to the rollback served by the other replica: %d ms",
				took.toMillis()).isLessThan(Duration.ofSeconds(5));
		int canaryHits = FAILING_CANARY.hits();
		for (int user = 0; user < USERS; user++) {
			assertThat(send(otherIngress, "/failing/after", "u" + user).body()).isEqualTo(BASELINE.name());
		}
		assertThat(FAILING_CANARY.hits()).as("requests the canary received after the rollback").isEqualTo(canaryHits);
		assertThat(view(otherAdmin(), id)).containsEntry("phase", "ROLLED_BACK").containsEntry("weights", List.of(100, 0));
		assertThat(other.getBean(DeciderElection.class).isDecider()).isFalse();
		assertThat(kinds(id)).containsExactly("rollback", "start");
	}

	/**
	 * Exactly one replica decides, and the other's requests count in its gates; then the decider
	 * is killed mid-step, holding the Lease. Once the Lease expires the other replica decides, on
	 * the same step (same start) with every request counted so far, the killed one's included, and
	 * promotes it: the rollout's history has one start.
	 */
	@Test
	@Order(2)
	void oneReplicaDecidesBothCountAndAKilledDeciderIsReplacedOnTheSameStepWithItsCounts() {
		String id = declare("counted", CANARY, "stepDuration: 1s, minRequests: " + 2 * EACH + ", maxStepDuration: 2m");
		Map<String, Object> started = awaitBothAtStepOne(id);

		for (int i = 0; i < EACH; i++) {
			assertThat(send(deciderIngress, "/counted/" + sent, "u" + sent % USERS).statusCode()).isEqualTo(200);
			assertThat(send(otherIngress, "/counted/" + sent, "u" + sent % USERS).statusCode()).isEqualTo(200);
			sent++;
		}
		// each replica's requests count on the other: the decider judges both halves
		await().atMost(Duration.ofSeconds(10)).until(() -> RolloutReplicasTest.requests(view(deciderAdmin, id)) == 2 * EACH
				&& RolloutReplicasTest.requests(view(otherAdmin(), id)) == 2 * EACH);
		assertThat(other.getBean(DeciderElection.class).isDecider()).isFalse();
		assertThat(leaseHolder()).isNotNull().isNotEqualTo(other.getBean(ReplicaId.class).value());

		decider.destroyForcibly();
		long killed = System.nanoTime();
		await().atMost(LEASE_DURATION.plusSeconds(10)).until(() -> other.getBean(DeciderElection.class).isDecider());
		log.info("The other replica decides " + Duration.ofNanos(System.nanoTime() - killed).toMillis()
				+ " ms after the decider was killed (Lease " + LEASE_DURATION.toSeconds() + " s)");
		Map<String, Object> resumed = view(otherAdmin(), id);
		assertThat(resumed).containsEntry("phase", "RUNNING").containsEntry("step", 1)
			.containsEntry("stepStarted", started.get("stepStarted"));
		assertThat(RolloutReplicasTest.requests(resumed)).as("the killed decider's requests still count").isEqualTo(2 * EACH);

		Map<String, Object> done = drive(id, view -> "DONE".equals(view.get("phase")));
		assertThat(done).containsEntry("step", 2).containsEntry("weights", List.of(0, 100));
		assertThat(kinds(id)).containsExactly("done", "start");
		// the Lease, the published counters, the rollout state: all granted by config/kubernetes
		assertThat(ManifestRbac.ofManifests().ungranted(API.gatewayRequests(), NAMESPACE)).isEmpty();
	}

	/**
	 * Clients without a sticky key, four at a time, alternately through both replicas as a load
	 * balancer spreads them, until closed.
	 */
	private static final class Traffic implements AutoCloseable {

		private final AtomicBoolean stopped = new AtomicBoolean();

		private final AtomicInteger unexpected = new AtomicInteger();

		private final ExecutorService clients = Executors.newFixedThreadPool(4);

		Traffic(String path) {
			for (int client = 0; client < 4; client++) {
				GatewayClient replica = client % 2 == 0 ? deciderIngress : otherIngress;
				clients.execute(() -> {
					for (int request = 0; !stopped.get(); request++) {
						try {
							int status = replica.get(path + request).statusCode();
							if (status != 200 && status != 500) {
								unexpected.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							unexpected.incrementAndGet();
						}
					}
				});
			}
		}

		/** Answers neither the baseline's 200 nor the failing canary's 500. */
		int unexpected() {
			return unexpected.get();
		}

		@Override
		public void close() {
			stopped.set(true);
			clients.shutdown();
			try {
				assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/** Declares a rollout of {@code canary} over the baseline on HTTPRoute {@code name}; its route id. */
	private static String declare(String name, TestUpstream canary, String rollout) {
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: %1$s
				  namespace: rollout-replicas
				  annotations:
				    meshgate.io/sticky-on: header:x-user
				    meshgate.io/rollout: '{steps: [50, 100], checkInterval: 1s, maxLatencyRatio: 20, %2$s}'
				spec:
				  parentRefs: [{name: shop}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /%1$s}}]
				    backendRefs:
				    - {name: %3$s, port: 8080, weight: 100}
				    - {name: %4$s, port: 8080, weight: 0}
				""".formatted(name, rollout, BASELINE.name(), canary.name()));
		return "k8s.httproute." + NAMESPACE + "." + name + ".0.0.0";
	}

	/** Waits until both replicas serve step 1 of route {@code id}'s rollout, from one start; the decider's view. */
	private static Map<String, Object> awaitBothAtStepOne(String id) {
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.until(() -> "RUNNING".equals(view(deciderAdmin, id).get("phase"))
					&& "RUNNING".equals(view(otherAdmin(), id).get("phase")));
		Map<String, Object> started = view(deciderAdmin, id);
		assertThat(view(otherAdmin(), id)).containsEntry("step", 1).containsEntry("stepStarted", started.get("stepStarted"));
		return started;
	}

	private Map<String, Object> drive(String id, Predicate<Map<String, Object>> until) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			Map<String, Object> view = view(otherAdmin(), id);
			if (until.test(view)) {
				return view;
			}
			for (int i = 0; i < 10; i++, sent++) {
				assertThat(send(otherIngress, "/counted/" + sent, "u" + sent % USERS).statusCode()).isEqualTo(200);
			}
		}
		return fail("the rollout did not get there within 30 s: " + view(otherAdmin(), id));
	}

	private static HttpResponse<String> send(GatewayClient replica, String path, String user) {
		return replica.get(path, Map.of(USER_HEADER, user));
	}

	/** The kinds of the versions of route {@code id}'s rollout, newest first. */
	private static List<Object> kinds(String id) {
		return timeline(id).stream().map(move -> move.get("kind")).toList();
	}

	/** The versions of route {@code id}'s rollout, newest first. */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> timeline(String id) {
		AdminClient.Answer answer = admin(otherAdmin()).get("/api/routes/" + id + "/rollout/timeline");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return (List<Map<String, Object>>) answer.json().get("timeline");
	}

	private static Map<String, Object> view(int adminPort, String id) {
		AdminClient.Answer answer = admin(adminPort).get("/api/routes/" + id + "/rollout");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private static String leaseHolder() {
		Lease lease = KUBE.resources(Lease.class).inNamespace(NAMESPACE).withName("meshgate-rollout-decider").get();
		return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
	}

	private static AdminClient admin(int port) {
		return AdminClient.basic(port, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
	}

	private static int otherAdmin() {
		return Integer.parseInt(other.getEnvironment().getProperty("local.management.port"));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
