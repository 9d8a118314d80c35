package io.meshgate.gateway.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.admin.api.AdminService;
import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.ManifestRbac;
import io.meshgate.gateway.testing.ServicePods;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The traffic of unusable backends beyond the conformance tests of v1.4.1
 * ({@code conformance/GatewayHttpConformanceTest} runs those): HTTPRouteNoBackendRefs, which
 * upstream added after v1.4.1, and the exact 500 share of a split with an invalid backend. Driven
 * by upstream manifests (test resources {@code gatewayapi/}, unchanged but for
 * {@code {GATEWAY_CLASS_NAME}}),
 * against fabric8's mock API server in CRUD mode, with the conformance Services'
 * {@code infra-backend-v1..v3} pods as real servers on loopback that answer their own name.
 * Requests go over raw sockets with exactly the {@code Host} header the upstream test sends.
 * Each test removes its objects afterwards, so that the Gateways of one (all served on the one
 * ingress port) never answer for another's.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's statics
class GatewayApiTrafficTest {

	static final String NAMESPACE = "gateway-conformance-infra";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final Map<String, TestUpstream> BACKENDS = new LinkedHashMap<>();

	static {
		for (int i = 1; i <= 3; i++) {
			BACKENDS.put("infra-backend-v" + i, TestUpstream.start("infra-backend-v" + i, "127.0.0." + (i + 1), 0));
		}
	}

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	@Autowired
	AdminService admin;

	@Autowired
	SeededRandom random;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		API.controllerProperties(properties, NAMESPACE, "gatewayapi-traffic");
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: meshgate.io/gateway-controller}
				---
				# conformance/base/manifests.yaml (v1beta1 there; the same object in v1)
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: same-namespace, namespace: gateway-conformance-infra}
				spec:
				  gatewayClassName: meshgate
				  listeners:
				  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
				""");
		BACKENDS.forEach(GatewayApiTrafficTest::service);
	}

	@AfterAll
	static void stopServers() {
		BACKENDS.values().forEach(TestUpstream::close);
	}

	@AfterEach
	void removeTheTestsObjects() {
		KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).delete();
		KUBE.resources(Gateway.class).inNamespace(NAMESPACE).list().getItems().stream()
			.filter(g -> !g.getMetadata().getName().equals("same-namespace"))
			.forEach(g -> KUBE.resource(g).delete());
		await().atMost(Duration.ofSeconds(10)).until(() -> servedRoutes().isEmpty());
	}

	@Test
	void httpRouteNoBackendRefs() {
		API.apply(manifest("httproute-omitted-backendrefs.yaml"));
		awaitCondition("omitted-backendrefs", "Accepted", "True", "Accepted");
		awaitCondition("omitted-backendrefs", "ResolvedRefs", "True", "ResolvedRefs");

		// the rules without backends take their paths and answer 500; the catch-all rule never sees them
		assertAnswers(Map.of("example.com /forward", "infra-backend-v1", "example.com /omitted-no-forward", "500",
				"example.com /empty-no-forward", "500"));
		assertThat(BACKENDS.get("infra-backend-v1").received()).noneMatch(r -> r.uri().contains("no-forward"));
	}

	/**
	 * HTTPRouteWeight's split with one of its backends of an unknown kind: exactly that backend's
	 * draws answer 500, the others reach their backends, and the status keeps saying why.
	 */
	@Test
	void aSplitSendsItsInvalidBackendsShareTo500() {
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: weighted-with-invalid, namespace: gateway-conformance-infra}
				spec:
				  parentRefs: [{name: same-namespace}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /weighted}}]
				    backendRefs:
				    - {name: infra-backend-v1, port: 8080, weight: 70}
				    - {group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v2, port: 8080, weight: 20}
				    - {name: infra-backend-v3, port: 8080, weight: 10}
				""");
		awaitCondition("weighted-with-invalid", "Accepted", "True", "Accepted");
		awaitCondition("weighted-with-invalid", "ResolvedRefs", "False", "InvalidKind");
		await().atMost(Duration.ofSeconds(10)).until(() -> answer("example.com", "/weighted/x").equals("infra-backend-v1")
				|| answer("example.com", "/weighted/x").equals("infra-backend-v3"));
		random.reseed(SeededRandom.SEED);

		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			answers.add(answer("example.com", "/weighted/" + i));
		}

		// one draw of nextInt(100) per request, in order: 0-69 v1, 70-89 the invalid backend, 90-99 v3
		Random replay = new Random(SeededRandom.SEED);
		Map<String, Long> expected = new LinkedHashMap<>();
		for (int i = 0; i < 500; i++) {
			int draw = replay.nextInt(100);
			expected.merge(draw < 70 ? "infra-backend-v1" : draw < 90 ? "500" : "infra-backend-v3", 1L, Long::sum);
		}
		assertThat(random.draws()).isEqualTo(500);
		assertThat(answers.stream().collect(Collectors.groupingBy(a -> a, Collectors.counting())))
			.isEqualTo(expected);
		assertThat(expected.get("500") / 500.0).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.05));
		assertThat(BACKENDS.get("infra-backend-v2").received()).noneMatch(r -> r.uri().startsWith("/weighted"));
	}

	/**
	 * HTTPRouteRetry (upstream v1.6.1, experimental channel), case by case: a backend that fails a
	 * number of tries with a code, then recovers. Retried codes are retried up to {@code attempts}
	 * times, other codes never, and the tries the backend received are counted exactly.
	 */
	@Test
	void httpRouteRetry() {
		API.apply(manifest("httproute-retry.yaml"));
		awaitCondition("retries", "Accepted", "True", "Accepted");
		awaitCondition("retries", "ResolvedRefs", "True", "ResolvedRefs");
		TestUpstream v3 = BACKENDS.get("infra-backend-v3");
		await().atMost(Duration.ofSeconds(10)).until(() -> answer("example.com", "/retry/code-500-attempts-3"),
				"infra-backend-v3"::equals);

		record Case(String path, int code, int succeedAfter, String answer, int tries) {
		}
		List<Case> cases = List.of(new Case("/retry/code-500-attempts-3", 500, 2, "infra-backend-v3", 3),
				new Case("/retry/code-500-attempts-3", 500, 4, "500", 4),
				new Case("/retry/code-500-attempts-3", 503, 2, "503", 1),
				new Case("/retry/code-all-attempts-2", 500, 1, "infra-backend-v3", 2),
				new Case("/retry/code-all-attempts-2", 500, 3, "500", 3),
				new Case("/retry/code-all-attempts-2", 502, 1, "infra-backend-v3", 2),
				new Case("/retry/code-all-attempts-2", 502, 3, "502", 3),
				new Case("/retry/code-all-attempts-2", 503, 1, "infra-backend-v3", 2),
				new Case("/retry/code-all-attempts-2", 503, 3, "503", 3),
				new Case("/retry/code-all-attempts-2", 504, 1, "infra-backend-v3", 2),
				new Case("/retry/code-all-attempts-2", 504, 3, "504", 3));
		Map<Case, String> actual = new LinkedHashMap<>();
		for (Case each : cases) {
			int before = v3.hits();
			v3.failNext(each.succeedAfter(), each.code());
			String answer = answer("example.com", each.path());
			actual.put(each, answer + " after " + (v3.hits() - before) + " tries");
			v3.failNext(0, 200);
		}
		Map<Case, String> expected = new LinkedHashMap<>();
		cases.forEach(each -> expected.put(each, each.answer() + " after " + each.tries() + " tries"));
		assertThat(actual).isEqualTo(expected);

		// a POST is not idempotent: one try, whatever the rule's retry says
		int before = v3.hits();
		v3.failNext(1, 500);
		assertThat(RawHttp.send(port, "POST", "/retry/code-500-attempts-3", Map.of("Host", "example.com")).status())
			.isEqualTo(500);
		assertThat(v3.hits() - before).isEqualTo(1);
		v3.failNext(0, 200);
	}

	/** A rule's retry beyond what Meshgate serves is refused by name; its backoff is the first wait. */
	@Test
	void aRetryRulesBackoffIsTheFirstWaitAndTooManyAttemptsAreRefused() {
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: backoff, namespace: gateway-conformance-infra}
				spec:
				  parentRefs: [{name: same-namespace}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /backoff}}]
				    retry: {codes: [503], attempts: 1, backoff: 100ms}
				    backendRefs: [{name: infra-backend-v1, port: 8080}]
				---
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: too-many, namespace: gateway-conformance-infra}
				spec:
				  parentRefs: [{name: same-namespace}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /too-many}}]
				    retry: {codes: [503], attempts: 20}
				    backendRefs: [{name: infra-backend-v1, port: 8080}]
				""");
		awaitCondition("backoff", "Accepted", "True", "Accepted");
		awaitCondition("too-many", "Accepted", "False", "UnsupportedValue");
		assertThat(conditions("too-many", "Accepted")).singleElement()
			.satisfies(c -> assertThat(c.getMessage()).contains("rules[0].retry.attempts: 20 (expected: 0-10)"));
		RetryPolicy retries = admin.overlays().stream().filter(o -> o.source().equals("kubernetes"))
			.flatMap(o -> o.config().routes().stream()).filter(r -> r.id().contains("backoff"))
			.findFirst().orElseThrow().retries();
		assertThat(retries.attempts()).isEqualTo(1);
		assertThat(retries.baseInterval()).isEqualTo(Duration.ofMillis(100));
		assertThat(retries.retryOn()).extracting(Object::toString).containsExactly("connect-failure", "reset", "503");
	}

	/**
	 * A rollout declared on an HTTPRoute ({@code meshgate.io/rollout}): the decider starts it and
	 * promotes it to 100 % on the canary, its state and weights are kept in Meshgate's ConfigMap
	 * {@code meshgate-rollouts}, and the HTTPRoute's spec and annotations are never rewritten.
	 */
	@Test
	void aRolloutDeclaredOnAnHttpRouteMovesTheWeightsWithoutRewritingTheHttpRoute() {
		// maxStepDuration: on a loaded machine the first step's weights may take seconds to be served,
		// and a step without canary requests by then would pause instead of being promoted
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: rolled
				  namespace: gateway-conformance-infra
				  annotations:
				    meshgate.io/sticky-on: header:x-user
				    meshgate.io/rollout: '{steps: [50, 100], stepDuration: 1s, checkInterval: 1s, minRequests: 20, maxLatencyRatio: 20, maxStepDuration: 1m}'
				spec:
				  parentRefs: [{name: same-namespace}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /rolled}}]
				    backendRefs:
				    - {name: infra-backend-v1, port: 8080, weight: 100}
				    - {name: infra-backend-v2, port: 8080, weight: 0}
				""");
		awaitCondition("rolled", "Accepted", "True", "Accepted");
		HTTPRoute declared = KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("rolled").get();
		String id = "k8s.httproute." + NAMESPACE + ".rolled.0.0.0";

		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		int sent = 0;
		while (!rolloutState(id).contains("\"phase\":\"DONE\"")) {
			assertThat(System.nanoTime()).as("DONE within 30 s: " + rolloutState(id)).isLessThan(deadline);
			for (int i = 0; i < 10; i++, sent++) {
				assertThat(RawHttp.send(port, "GET", "/rolled/" + sent, Map.of("Host", "example.com", "x-user", "u" + sent % 50))
					.status()).isEqualTo(200);
			}
		}

		await().atMost(Duration.ofSeconds(5)).until(() -> answer("example.com", "/rolled/x"), "infra-backend-v2"::equals);
		for (int user = 0; user < 50; user++) {
			assertThat(RawHttp.send(port, "GET", "/rolled/" + user, Map.of("Host", "example.com", "x-user", "u" + user))
				.body()).isEqualTo("infra-backend-v2");
		}
		assertUnwritten(declared);

		// every move of the decider is a version of the HTTPRoute rollouts' history, with the numbers
		List<Map<String, Object>> moves = timeline(id);
		assertThat(moves).extracting(move -> move.get("kind")).containsExactly("done", "start");
		assertThat(moves).extracting(move -> move.get("author")).containsOnly("rollout");
		assertThat((String) moves.get(0).get("summary")).startsWith(id + ": rollout step 1 → 2 (100 %): canary ")
			.contains(" failed of ", ", p99 ");
		assertThat(((Number) moves.get(0).get("version")).longValue())
			.isEqualTo(((Number) moves.get(1).get("version")).longValue() + 1);
		assertThat(ManifestRbac.ofManifests().ungranted(API.gatewayRequests(), NAMESPACE)).isEmpty();
	}

	/**
	 * Pause, resume, promote now and abort on an HTTPRoute's rollout through the admin API: each
	 * changes Meshgate's state of the rollout (never the HTTPRoute), is a version of the HTTPRoute
	 * rollouts' history naming the operator, and the traffic follows; an action the phase does not
	 * allow is refused with 409. Every request the gateway sent is granted by config/kubernetes.
	 */
	@Test
	void operatorsPauseResumePromoteAndAbortAnHttpRouteRolloutAsVersionsWithoutWritingTheHttpRoute() {
		API.apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: operated
				  namespace: gateway-conformance-infra
				  annotations:
				    meshgate.io/sticky-on: header:x-user
				    meshgate.io/rollout: '{steps: [10, 50, 100], stepDuration: 1h, checkInterval: 1s}'
				spec:
				  parentRefs: [{name: same-namespace}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /operated}}]
				    backendRefs:
				    - {name: infra-backend-v1, port: 8080, weight: 100}
				    - {name: infra-backend-v2, port: 8080, weight: 0}
				""");
		awaitCondition("operated", "Accepted", "True", "Accepted");
		HTTPRoute declared = KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("operated").get();
		String id = "k8s.httproute." + NAMESPACE + ".operated.0.0.0";
		awaitRollout(id, "RUNNING", 1, List.of(90, 10));

		Map<String, Object> paused = act(id, "pause", 200);
		assertThat(paused).containsEntry("versions", "rollouts").containsEntry("author", TestUsers.EDITOR);
		assertThat((String) paused.get("summary")).isEqualTo(id + ": rollout paused by " + TestUsers.EDITOR
				+ " at step 1 (10 %)");
		// the answer says where the action left the rollout, before the route is translated again
		assertThat(paused.get("rollout")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("phase", "PAUSED")
			.containsEntry("step", 1).containsEntry("weights", List.of(90, 10));
		awaitRollout(id, "PAUSED", 1, List.of(90, 10));
		assertThat(act(id, "pause", 409).get("message")).isEqualTo("route " + id
				+ ": cannot pause a rollout that is PAUSED (expected: RUNNING)");
		act(id, "resume", 200);
		awaitRollout(id, "RUNNING", 1, List.of(90, 10));
		act(id, "promote", 200);
		awaitRollout(id, "RUNNING", 2, List.of(50, 50));
		act(id, "abort", 200);
		awaitRollout(id, "ABORTED", 2, List.of(100, 0));

		// the canary takes no traffic: every sticky user is on the baseline
		await().atMost(Duration.ofSeconds(5)).until(() -> answer("example.com", "/operated/x"), "infra-backend-v1"::equals);
		for (int user = 0; user < 50; user++) {
			assertThat(RawHttp.send(port, "GET", "/operated/" + user, Map.of("Host", "example.com", "x-user", "u" + user))
				.body()).isEqualTo("infra-backend-v1");
		}
		List<Map<String, Object>> moves = timeline(id);
		assertThat(moves).extracting(move -> move.get("kind")).containsExactly("abort", "promote", "resume", "pause",
				"start");
		assertThat(moves).extracting(move -> move.get("author")).containsExactly(TestUsers.EDITOR, TestUsers.EDITOR,
				TestUsers.EDITOR, TestUsers.EDITOR, "rollout");
		assertThat(moves.get(3)).containsEntry("version", paused.get("version"));
		assertThat(moves).extracting(move -> ((Number) move.get("version")).longValue()).isSortedAccordingTo(
				java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
		assertUnwritten(declared);
		assertThat(ManifestRbac.ofManifests().ungranted(API.gatewayRequests(), NAMESPACE)).isEmpty();
	}

	/** The HTTPRoute's spec, annotations and generation are as the user declared them. */
	private static void assertUnwritten(HTTPRoute declared) {
		HTTPRoute after = KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName(declared.getMetadata().getName())
			.get();
		assertThat(after.getSpec()).isEqualTo(declared.getSpec());
		assertThat(after.getMetadata().getAnnotations()).isEqualTo(declared.getMetadata().getAnnotations());
		assertThat(after.getMetadata().getGeneration()).isEqualTo(declared.getMetadata().getGeneration());
	}

	private void awaitRollout(String id, String phase, int step, List<Integer> weights) {
		await().atMost(Duration.ofSeconds(10)).until(() -> admin().get("/api/routes/" + id + "/rollout"),
				view -> view.status() == 200 && phase.equals(view.json().get("phase")) && Integer.valueOf(step)
					.equals(view.json().get("step")) && weights.equals(view.json().get("weights")));
	}

	private Map<String, Object> act(String id, String action, int status) {
		AdminClient.Answer answer = admin().post("/api/routes/" + id + "/rollout/" + action, null, null);
		assertThat(answer.status()).as(action + ": " + answer.body()).isEqualTo(status);
		return answer.json();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> timeline(String id) {
		AdminClient.Answer answer = admin().get("/api/routes/" + id + "/rollout/timeline");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.json()).containsEntry("versions", "rollouts");
		return (List<Map<String, Object>>) answer.json().get("timeline");
	}

	private AdminClient admin() {
		return AdminClient.basic(managementPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
	}

	/** The rollout state Meshgate keeps for route {@code id}, as its ConfigMap holds it; "" without one. */
	private static String rolloutState(String id) {
		var states = KUBE.configMaps().inNamespace(NAMESPACE).withName("meshgate-rollouts").get();
		return states == null || states.getData() == null ? "" : states.getData().getOrDefault(id, "");
	}

	/** Every {@code "host path"} answers the backend's name or the status given, once the routes are served. */
	private void assertAnswers(Map<String, String> expected) {
		Map.Entry<String, String> served = expected.entrySet().stream().filter(e -> e.getValue().startsWith("infra"))
			.findFirst().orElseGet(() -> expected.entrySet().iterator().next());
		await().atMost(Duration.ofSeconds(10)).until(() -> ask(served.getKey()), served.getValue()::equals);
		Map<String, String> actual = new LinkedHashMap<>();
		expected.keySet().forEach(request -> actual.put(request, ask(request)));
		assertThat(actual).isEqualTo(expected);
	}

	private String ask(String request) {
		int space = request.indexOf(' ');
		return answer(request.substring(0, space), request.substring(space + 1));
	}

	/** The backend that answered, or the status when it is not 200. */
	private String answer(String host, String path) {
		RawHttp.Response response = RawHttp.send(port, "GET", path, Map.of("Host", host));
		return response.status() == 200 ? response.body() : String.valueOf(response.status());
	}

	private List<String> servedRoutes() {
		return admin.overlays().stream().filter(o -> o.source().equals("kubernetes"))
			.flatMap(o -> o.config().routes().stream()).map(r -> r.id()).toList();
	}

	private static void awaitCondition(String route, String type, String status, String reason) {
		await().atMost(Duration.ofSeconds(10)).until(() -> conditions(route, type),
				found -> !found.isEmpty() && found.stream().allMatch(c -> c.getStatus().equals(status)
						&& c.getReason().equals(reason)));
	}

	/** The condition {@code type} of every parent of the route. */
	private static List<Condition> conditions(String route, String type) {
		HTTPRoute object = KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName(route).get();
		if (object == null || object.getStatus() == null || object.getStatus().getParents() == null) {
			return List.of();
		}
		List<Condition> found = new ArrayList<>();
		for (RouteParentStatus parent : object.getStatus().getParents()) {
			parent.getConditions().stream().filter(c -> c.getType().equals(type)).forEach(found::add);
		}
		return found;
	}

	private static String manifest(String name) {
		try (InputStream in = GatewayApiTrafficTest.class.getResourceAsStream("/gatewayapi/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{GATEWAY_CLASS_NAME}", "meshgate");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The conformance Service {@code name} (port 8080) whose one pod is {@code pod}, and its EndpointSlice. */
	private static void service(String name, TestUpstream pod) {
		ServicePods.apply(KUBE, NAMESPACE, name, null, 8080, pod.host(), pod.port(), Map.of());
	}

}
