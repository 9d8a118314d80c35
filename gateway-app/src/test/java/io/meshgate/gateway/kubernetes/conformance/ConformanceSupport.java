package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.https.HttpsListener;
import io.meshgate.gateway.kubernetes.IngressController;
import io.meshgate.gateway.kubernetes.IngressControllerProperties;
import io.meshgate.gateway.listeners.ListenerServers;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.TestPki;

import static org.awaitility.Awaitility.await;

/**
 * The conformance harness: one gateway, wired as in a cluster, whose controller watches fabric8's
 * mock API server in CRUD mode, where the suite's base manifests are applied once; each test
 * applies its own manifest ({@link #apply}) and it is deleted after the test. The status checks
 * are those of the suite's {@code conformance/utils/kubernetes/helpers.go}, by the same names.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's statics
@ExtendWith(ConformanceResults.class)
abstract class ConformanceSupport {

	static final String INFRA = "gateway-conformance-infra";

	static final String APP_BACKEND = "gateway-conformance-app-backend";

	static final String WEB_BACKEND = "gateway-conformance-web-backend";

	static final String CONTROLLER = IngressControllerProperties.DEFAULT_CONTROLLER_NAME;

	/** The Gateways' address in status; requests carry it as their Host unless a case names one. */
	static final String ADDRESS = "127.0.0.1";

	static final Duration STATUS_TIMEOUT = Duration.ofSeconds(20);

	static final String GROUP = "gateway.networking.k8s.io";

	static final String HTTP_ROUTE = "HTTPRoute";

	static final String GRPC_ROUTE = "GRPCRoute";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final ConformanceCluster CLUSTER = new ConformanceCluster(KUBE);

	/** The certificates of the suite's Secrets ({@code MustCreateSelfSignedCertSecret}). */
	static final TestPki PKI = TestPki.create("Gateway API Conformance CA");

	@LocalServerPort
	int port;

	@Autowired
	HttpsListener https;

	@Autowired
	IngressController controller;

	@Autowired
	ListenerServers listeners;

	Traffic traffic;

	private final List<HasMetadata> applied = new ArrayList<>();

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		properties.add("meshgate.demo.enabled", () -> "false");
		properties.add("meshgate.access-log.enabled", () -> "false"); // thousands of requests: keep the output readable
		properties.add("meshgate.store.path", () -> "target/stores/conformance-" + UUID.randomUUID());
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.EDITOR);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.EDITOR_HASH);
		properties.add("meshgate.admin.users[0].roles[0]", () -> "editor");
		properties.add("management.server.port", () -> "0");
		API.gatewayProperties(properties, INFRA);
		properties.add("meshgate.https.port", () -> "0");
		// the listener ports of the suite's Gateways besides 80 and 443, each on a free local port
		properties.add("meshgate.listeners.ports.8080", () -> "0");
		properties.add("meshgate.listeners.ports.8090", () -> "0");
		properties.add("meshgate.kubernetes.ingress.enabled", () -> "true");
		properties.add("meshgate.kubernetes.ingress.identity", () -> "meshgate-conformance-0");
		properties.add("meshgate.kubernetes.ingress.addresses[0]", () -> ADDRESS);
		// the suite's own waits are up to a minute; these keep the run short
		properties.add("meshgate.kubernetes.ingress.debounce", () -> "20ms");
		properties.add("meshgate.kubernetes.ingress.resync", () -> "1s");
		properties.add("meshgate.kubernetes.ingress.certificate-directory",
				() -> "target/conformance-tls-" + UUID.randomUUID());
		applyGatewayClass();
		selfSignedSecret(WEB_BACKEND, "certificate", "*");
		selfSignedSecret(INFRA, "tls-validity-checks-certificate", "*", "*.org");
		BackendTlsChecks.certificates();
		CLUSTER.apply("base/manifests.yaml");
	}

	/** The GatewayClass the suite is run with ({@code --gateway-class meshgate}). */
	private static void applyGatewayClass() {
		KUBE.resource(KUBE.getKubernetesSerialization().unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: %s}
				spec: {controllerName: %s}
				""".formatted(ConformanceCluster.GATEWAY_CLASS, CONTROLLER), GatewayClass.class))
			.createOr(NonDeletingOperation::update);
	}

	/**
	 * A kubernetes.io/tls Secret for {@code hosts}, as the suite's {@code MustCreateSelfSignedCertSecret}
	 * makes (issued by this run's CA, which the requests do not check, as the suite's do not for these).
	 */
	static void selfSignedSecret(String namespace, String name, String... hosts) {
		tlsSecret(namespace, name, PKI.issue(hosts[0], java.util.Arrays.stream(hosts).map(h -> "dns:" + h).toList()));
	}

	/** A kubernetes.io/tls Secret with {@code issued}'s certificate and key. */
	static void tlsSecret(String namespace, String name, TestPki.Issued issued) {
		try {
			Path dir = Files.createTempDirectory("conformance-tls");
			issued.write(dir, "tls");
			KUBE.resource(new SecretBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(namespace)
				.endMetadata()
				.withType("kubernetes.io/tls")
				.addToData("tls.crt", base64(Files.readString(dir.resolve("tls.crt"))))
				.addToData("tls.key", base64(Files.readString(dir.resolve("tls.key"))))
				.build()).createOr(NonDeletingOperation::update);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	@BeforeEach
	void connect() {
		traffic = new Traffic(listenerPort -> listenerPort == 80 ? port : listenerPort == 443 ? https.port()
				: listeners.localPort(listenerPort), ADDRESS);
		// status is written by the Lease holder only; the first test waits for the election
		await().atMost(Duration.ofSeconds(30)).until(controller::leader);
	}

	@AfterEach
	void deleteApplied() {
		CLUSTER.delete(applied);
		applied.clear();
	}

	/** After the top-level class: a {@code @Nested} class of it runs on the same cluster and backends. */
	@AfterAll
	static void stopBackends(TestInfo test) {
		if (test.getTestClass().map(Class::getEnclosingClass).isEmpty()) {
			CLUSTER.close();
		}
	}

	/** Applies a test's manifest, {@code tests/<file>}; deleted after the test. */
	void apply(String file) {
		applied.addAll(CLUSTER.apply("tests/" + file));
	}

	/** Applies a test's manifest given as text; deleted after the test. */
	void applyText(String manifest) {
		applied.addAll(CLUSTER.applyText(manifest));
	}

	// --- status checks, as helpers.go

	static Gateway gateway(String namespace, String name) {
		return KUBE.resources(Gateway.class).inNamespace(namespace).withName(name).get();
	}

	static HTTPRoute route(String namespace, String name) {
		return KUBE.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
	}

	/** The {@code status.parents} of a route of {@code kind} (HTTPRoute or GRPCRoute); empty when it has none. */
	static List<RouteParentStatus> routeParents(String kind, String namespace, String name) {
		if (GRPC_ROUTE.equals(kind)) {
			GRPCRoute route = KUBE.resources(GRPCRoute.class).inNamespace(namespace).withName(name).get();
			return route == null || route.getStatus() == null || route.getStatus().getParents() == null ? List.of()
					: route.getStatus().getParents();
		}
		HTTPRoute route = route(namespace, name);
		return route == null || route.getStatus() == null || route.getStatus().getParents() == null ? List.of()
				: route.getStatus().getParents();
	}

	/** Waits until {@code mismatch} gives null (everything as expected); fails with its last answer. */
	static void eventually(String what, Supplier<String> mismatch) {
		AtomicReference<String> last = new AtomicReference<>("not checked");
		try {
			await().atMost(STATUS_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
				last.set(mismatch.get());
				return last.get() == null;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(what + ": " + last.get());
		}
	}

	/** An expected condition; null status or reason: any. */
	record Expected(String type, String status, String reason) {

		static Expected of(String type, String status, String reason) {
			return new Expected(type, status, reason);
		}

	}

	/** findConditionInList over each expected condition (conditionsMatch). */
	static String conditionsMismatch(List<Condition> actual, List<Expected> expected) {
		List<Condition> conditions = actual == null ? List.of() : actual;
		for (Expected e : expected) {
			boolean found = conditions.stream()
				.anyMatch(c -> c.getType().equals(e.type()) && (e.status() == null || e.status().equals(c.getStatus()))
						&& (e.reason() == null || e.reason().equals(c.getReason())));
			if (!found) {
				return "expected " + e + " in " + conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
			}
		}
		return null;
	}

	/** An expected parent status: the Gateway, the listener (sectionName, or null), its conditions. */
	record Parent(String namespace, String gateway, String sectionName, List<Expected> conditions) {

		static Parent accepted(String namespace, String gateway, String sectionName) {
			return new Parent(namespace, gateway, sectionName, List.of(Expected.of("Accepted", "True", "Accepted")));
		}

	}

	/** HTTPRouteMustHaveParents (parentsForRouteMatch): exactly these parents, in this order. */
	static void routeMustHaveParents(String namespace, String name, List<Parent> parents, boolean namespaceRequired) {
		routeMustHaveParents(HTTP_ROUTE, namespace, name, parents, namespaceRequired);
	}

	/** RouteMustHaveParents for a route of {@code kind}. */
	static void routeMustHaveParents(String kind, String namespace, String name, List<Parent> parents,
			boolean namespaceRequired) {
		eventually(kind + " " + namespace + "/" + name + " parents", () -> {
			List<RouteParentStatus> actual = routeParents(kind, namespace, name);
			if (actual.size() != parents.size()) {
				return "expected " + parents.size() + " parents, got " + actual.size();
			}
			for (int i = 0; i < parents.size(); i++) {
				Parent expected = parents.get(i);
				RouteParentStatus parent = actual.get(i);
				if (!CONTROLLER.equals(parent.getControllerName())) {
					return "controllerName " + parent.getControllerName();
				}
				if (!GROUP.equals(parent.getParentRef().getGroup()) || !"Gateway".equals(parent.getParentRef().getKind())) {
					return "parentRef group/kind " + parent.getParentRef().getGroup() + "/" + parent.getParentRef().getKind();
				}
				if (!expected.gateway().equals(parent.getParentRef().getName())) {
					return "parentRef name " + parent.getParentRef().getName();
				}
				if (!Objects.equals(expected.namespace(), parent.getParentRef().getNamespace())
						&& (namespaceRequired || parent.getParentRef().getNamespace() != null)) {
					return "parentRef namespace " + parent.getParentRef().getNamespace();
				}
				if (expected.sectionName() != null && !expected.sectionName().equals(parent.getParentRef().getSectionName())) {
					return "parentRef sectionName " + parent.getParentRef().getSectionName();
				}
				String conditions = conditionsMismatch(parent.getConditions(), expected.conditions());
				if (conditions != null) {
					return conditions;
				}
			}
			return null;
		});
	}

	/**
	 * GatewayAndHTTPRoutesMustBeAccepted: the Gateway has an address, each route ({@code namespace/name})
	 * is accepted by it (once per listener named, or once), and every listener is ResolvedRefs, Accepted
	 * and Programmed.
	 */
	static void gatewayAndRoutesMustBeAccepted(String namespace, String gateway, List<String> listeners, String... routes) {
		gatewayAndRoutesMustBeAccepted(HTTP_ROUTE, namespace, gateway, listeners, routes);
	}

	/** GatewayAndRoutesMustBeAccepted for routes of {@code kind} (the suite passes the route type). */
	static void gatewayAndRoutesMustBeAccepted(String kind, String namespace, String gateway, List<String> listeners,
			String... routes) {
		eventually("Gateway " + namespace + "/" + gateway + " address", () -> {
			Gateway object = gateway(namespace, gateway);
			return object != null && object.getStatus() != null && object.getStatus().getAddresses() != null
					&& !object.getStatus().getAddresses().isEmpty() ? null : "no address in status";
		});
		for (String route : routes) {
			String[] key = route.split("/");
			List<Parent> parents = new ArrayList<>();
			for (String listener : listeners.isEmpty() ? java.util.Collections.<String>singletonList(null) : listeners) {
				parents.add(Parent.accepted(namespace, gateway, listener));
			}
			routeMustHaveParents(kind, key[0], key[1], parents, !key[0].equals(namespace));
		}
		gatewayListenersMustHaveConditions(namespace, gateway, List.of(Expected.of("ResolvedRefs", "True", null),
				Expected.of("Accepted", "True", null), Expected.of("Programmed", "True", null)));
	}

	static void gatewayAndRoutesMustBeAccepted(String namespace, String gateway, String... routes) {
		gatewayAndRoutesMustBeAccepted(namespace, gateway, List.of(), routes);
	}

	/** GatewayListenersMustHaveConditions: every listener has them. */
	static void gatewayListenersMustHaveConditions(String namespace, String gateway, List<Expected> conditions) {
		eventually("Gateway " + namespace + "/" + gateway + " listener conditions", () -> {
			Gateway object = gateway(namespace, gateway);
			if (object == null || object.getStatus() == null || object.getStatus().getListeners() == null) {
				return "no listener status";
			}
			for (ListenerStatus listener : object.getStatus().getListeners()) {
				String mismatch = conditionsMismatch(listener.getConditions(), conditions);
				if (mismatch != null) {
					return listener.getName() + ": " + mismatch;
				}
			}
			return null;
		});
	}

	/** An expected listener status (listenersMatch): name, supported kinds, attached routes, conditions. */
	record Listener(String name, List<String> supportedKinds, int attachedRoutes, List<Expected> conditions) {

	}

	/** GatewayStatusMustHaveListeners. */
	static void gatewayStatusMustHaveListeners(String namespace, String gateway, List<Listener> listeners) {
		eventually("Gateway " + namespace + "/" + gateway + " listeners", () -> {
			Gateway object = gateway(namespace, gateway);
			List<ListenerStatus> actual = object == null || object.getStatus() == null
					|| object.getStatus().getListeners() == null ? List.of() : object.getStatus().getListeners();
			if (actual.size() != listeners.size()) {
				return "expected " + listeners.size() + " listeners, got " + actual.size();
			}
			for (Listener expected : listeners) {
				ListenerStatus listener = actual.stream().filter(l -> l.getName().equals(expected.name())).findFirst().orElse(null);
				if (listener == null) {
					return "no status for listener " + expected.name();
				}
				List<String> kinds = listener.getSupportedKinds() == null ? List.of()
						: listener.getSupportedKinds().stream().map(k -> k.getKind()).toList();
				if (expected.supportedKinds().isEmpty() ? !kinds.isEmpty() : !kinds.containsAll(expected.supportedKinds())) {
					return expected.name() + ": supportedKinds " + kinds;
				}
				if (listener.getAttachedRoutes() == null || listener.getAttachedRoutes() != expected.attachedRoutes()) {
					return expected.name() + ": attachedRoutes " + listener.getAttachedRoutes();
				}
				String mismatch = conditionsMismatch(listener.getConditions(), expected.conditions());
				if (mismatch != null) {
					return expected.name() + ": " + mismatch;
				}
			}
			return null;
		});
	}

	/** HTTPRouteMustHaveCondition: the route's status for that Gateway has the condition. */
	static void routeMustHaveCondition(String namespace, String name, String gatewayNamespace, String gateway,
			Expected condition) {
		eventually("HTTPRoute " + namespace + "/" + name + " " + condition, () -> {
			HTTPRoute route = route(namespace, name);
			if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) {
				return "no status";
			}
			for (RouteParentStatus parent : route.getStatus().getParents()) {
				String parentNamespace = parent.getParentRef().getNamespace() == null ? namespace
						: parent.getParentRef().getNamespace();
				if (parent.getParentRef().getName().equals(gateway) && parentNamespace.equals(gatewayNamespace)) {
					return conditionsMismatch(parent.getConditions(), List.of(condition));
				}
			}
			return "no parent status for Gateway " + gatewayNamespace + "/" + gateway;
		});
	}

	/** HTTPRouteMustHaveResolvedRefsConditionsTrue. */
	static void routeMustHaveResolvedRefsTrue(String namespace, String name, String gatewayNamespace, String gateway) {
		routeMustHaveCondition(namespace, name, gatewayNamespace, gateway, Expected.of("ResolvedRefs", "True", "ResolvedRefs"));
	}

	/** GatewayMustHaveCondition. */
	static void gatewayMustHaveCondition(String namespace, String gateway, Expected condition) {
		eventually("Gateway " + namespace + "/" + gateway + " " + condition, () -> {
			Gateway object = gateway(namespace, gateway);
			return object == null || object.getStatus() == null ? "no status"
					: conditionsMismatch(object.getStatus().getConditions(), List.of(condition));
		});
	}

	/** HTTPRouteMustHaveNoAcceptedParents: no parent status, or one that is not accepted. */
	static void routeMustHaveNoAcceptedParents(String namespace, String name) {
		eventually("HTTPRoute " + namespace + "/" + name + " not accepted", () -> {
			HTTPRoute route = route(namespace, name);
			if (route == null) {
				return "no route";
			}
			List<RouteParentStatus> parents = route.getStatus() == null || route.getStatus().getParents() == null
					? List.of() : route.getStatus().getParents();
			if (parents.size() > 1) {
				return "more than one parent status";
			}
			if (parents.isEmpty()) {
				return null;
			}
			String stale = latestGeneration(route, parents.get(0).getConditions());
			return stale != null ? stale
					: conditionsMismatch(parents.get(0).getConditions(), List.of(Expected.of("Accepted", "False", null)));
		});
	}

	/** ConditionsHaveLatestObservedGeneration: null when every condition has the object's generation. */
	static String latestGeneration(HasMetadata object, List<Condition> conditions) {
		Long generation = object.getMetadata().getGeneration();
		for (Condition condition : conditions == null ? List.<Condition>of() : conditions) {
			if (!Objects.equals(condition.getObservedGeneration(), generation)) {
				return condition.getType() + " observedGeneration " + condition.getObservedGeneration()
						+ " (expected: " + generation + ")";
			}
		}
		return null;
	}

	/** GatewayMustHaveLatestConditions. */
	static void gatewayMustHaveLatestConditions(String namespace, String gateway) {
		eventually("Gateway " + namespace + "/" + gateway + " latest conditions", () -> {
			Gateway object = gateway(namespace, gateway);
			return object == null || object.getStatus() == null || object.getStatus().getConditions() == null
					? "no status" : latestGeneration(object, object.getStatus().getConditions());
		});
	}

	/** GatewayMustHaveZeroRoutes: no listener status, or one listener with no route attached. */
	static void gatewayMustHaveZeroRoutes(String namespace, String gateway) {
		eventually("Gateway " + namespace + "/" + gateway + " zero routes", () -> {
			Gateway object = gateway(namespace, gateway);
			if (object == null || object.getStatus() == null) {
				return "no status";
			}
			String stale = latestGeneration(object, object.getStatus().getConditions());
			List<ListenerStatus> listeners = object.getStatus().getListeners() == null ? List.of()
					: object.getStatus().getListeners();
			return stale != null ? stale : listeners.isEmpty()
					|| listeners.size() == 1 && Integer.valueOf(0).equals(listeners.get(0).getAttachedRoutes()) ? null
							: "listeners " + listeners.stream().map(l -> l.getName() + "=" + l.getAttachedRoutes()).toList();
		});
	}


}
