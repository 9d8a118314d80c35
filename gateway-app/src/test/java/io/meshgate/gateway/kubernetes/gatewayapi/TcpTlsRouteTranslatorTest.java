package io.meshgate.gateway.kubernetes.gatewayapi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.KubernetesTranslation;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.PemFiles;
import io.meshgate.gateway.kubernetes.ReferenceGrants;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCPRoutes and TLSRoutes translated into L4 routes over TCP upstreams, with the statuses of the
 * routes and of the Gateway's TLS and TCP listeners: objects in, configuration and statuses out.
 */
class TcpTlsRouteTranslatorTest {

	static final KubernetesSerialization YAML = new KubernetesSerialization();

	static final String CONTROLLER = "meshgate.io/gateway-controller";

	static final String CLASS = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: GatewayClass
			metadata: {name: meshgate}
			spec: {controllerName: meshgate.io/gateway-controller}
			""";

	static final String GATEWAY = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: Gateway
			metadata: {name: edge, namespace: shop, generation: 2}
			spec:
			  gatewayClassName: meshgate
			  listeners:
			  - {name: http, protocol: HTTP, port: 80}
			  - {name: tls, protocol: TLS, port: 443, hostname: "*.example.com", tls: {mode: Passthrough}}
			  - {name: pg, protocol: TCP, port: 5432}
			  - {name: terminate, protocol: TLS, port: 443, hostname: "x.example.org", tls: {mode: Terminate}}
			  - {name: clash, protocol: TCP, port: 80}
			  - {name: own, protocol: TCP, port: 9000}
			""";

	@TempDir
	Path pem;

	@Test
	void tcpAndTlsRoutesBecomeL4RoutesOverTcpUpstreamsWithListenerStatus() {
		KubernetesTranslation translation = translate(service("pg-a", 5432), service("pg-b", 5432), service("db", 8443), """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: pg, namespace: shop, generation: 3}
				spec:
				  parentRefs: [{name: edge, sectionName: pg}]
				  rules: [{backendRefs: [{name: pg-a, port: 5432, weight: 3}, {name: pg-b, port: 5432, weight: 1}]}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TLSRoute
				metadata: {name: db, namespace: shop}
				spec:
				  parentRefs: [{name: edge}]
				  hostnames: [db.example.com, db.example.org]
				  rules: [{backendRefs: [{name: db, port: 8443}]}]
				""");

		assertThat(translation.config().tcpRoutes()).containsExactly(new TcpRoute("k8s-tcp-shop-pg-5432", 5432,
				List.of(L4Backend.of("k8s-tcp-shop-pg-a-5432", 3), L4Backend.of("k8s-tcp-shop-pg-b-5432", 1)), null));
		assertThat(translation.config().tlsPassthroughRoutes()).containsExactly(new TlsPassthroughRoute(
				"k8s-tls-shop-db-0", List.of("db.example.com"), List.of(L4Backend.of("k8s-tcp-shop-db-8443", 1)), null));
		Upstream pgA = translation.config().upstreams().stream().filter(u -> u.name().equals("k8s-tcp-shop-pg-a-5432"))
			.findFirst().orElseThrow();
		assertThat(pgA.protocol()).isEqualTo(UpstreamProtocol.TCP);
		assertThat(pgA.discovery().serviceId()).isEqualTo("pg-a");
		assertThat(translation.owners()).containsEntry("k8s-tcp-shop-pg-5432", new ObjectKey("TCPRoute", "shop", "pg"))
			.containsEntry("k8s-tls-shop-db-0", new ObjectKey("TLSRoute", "shop", "db"));

		assertThat(conditions(translation.gatewayApi().l4().tcpRouteStatuses(), "TCPRoute", "pg"))
			.containsExactly("Accepted=True/Accepted@3", "ResolvedRefs=True/ResolvedRefs@3");
		// the TLSRoute has no sectionName: the passthrough listener takes it; HTTP, TCP and a terminating listener do not
		assertThat(conditions(translation.gatewayApi().l4().tlsRouteStatuses(), "TLSRoute", "db"))
			.containsExactly("Accepted=True/Accepted@null", "ResolvedRefs=True/ResolvedRefs@null");

		Map<String, ListenerStatus> listeners = listeners(translation);
		assertThat(kinds(listeners.get("tls"))).containsExactly("TLSRoute");
		assertThat(listeners.get("tls").getAttachedRoutes()).isEqualTo(1);
		assertThat(conditions(listeners.get("tls").getConditions()))
			.containsExactly("Accepted=True/Accepted@2", "Programmed=True/Programmed@2", "ResolvedRefs=True/ResolvedRefs@2");
		assertThat(kinds(listeners.get("pg"))).containsExactly("TCPRoute");
		assertThat(listeners.get("pg").getAttachedRoutes()).isEqualTo(1);
		assertThat(kinds(listeners.get("http"))).containsExactly("HTTPRoute", "GRPCRoute");
		assertThat(listeners.get("http").getAttachedRoutes()).isZero();
	}

	@Test
	void listenersThatCannotBeServedSayWhy() {
		Map<String, ListenerStatus> listeners = listeners(translate());

		assertThat(conditions(listeners.get("terminate").getConditions())).first().isEqualTo("Accepted=False/UnsupportedProtocol@2");
		assertThat(listeners.get("terminate").getConditions().get(0).getMessage())
			.isEqualTo("tls.mode: Terminate (expected: Passthrough; TLS is terminated on HTTPS listeners)");
		// HTTP and TCP on port 80: the HTTP listener keeps the port, both say they conflict
		assertThat(conditions(listeners.get("clash").getConditions())).containsExactly("Accepted=False/PortUnavailable@2",
				"Programmed=False/Invalid@2", "ResolvedRefs=True/ResolvedRefs@2", "Conflicted=True/ProtocolConflict@2");
		assertThat(conditions(listeners.get("http").getConditions())).contains("Accepted=True/Accepted@2",
				"Conflicted=True/ProtocolConflict@2");
		// a port the gateway's own servers listen on (its admin port, say) cannot be a TCP listener's
		Map<String, ListenerStatus> withOwnPort = listeners(translate(DEFAULT_WITH_OWN_9000, List.of()));
		assertThat(withOwnPort.get("own").getConditions().get(0).getReason()).isEqualTo("PortUnavailable");
		assertThat(withOwnPort.get("own").getConditions().get(0).getMessage()).isEqualTo(
				"port: 9000 (expected: a port of its own; 9000 is one the gateway serves HTTP or HTTPS on or listens on itself)");
		assertThat(conditions(listeners.get("own").getConditions())).first().isEqualTo("Accepted=True/Accepted@2");
		assertThat(translate().gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "edge")).getConditions().get(0)
			.getReason()).isEqualTo("ListenersNotValid");
	}

	@Test
	void refusedReferencesKindsAndConflictsAreInTheRouteStatus() {
		KubernetesTranslation translation = translate(service("pg-a", 5432), PG_OTHER, """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: older, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
				spec:
				  parentRefs: [{name: edge, sectionName: pg}]
				  rules: [{backendRefs: [{name: pg-other, namespace: data, port: 5432}, {name: pg-a, port: 5432}]}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: newer, namespace: shop, creationTimestamp: "2026-02-01T00:00:00Z"}
				spec:
				  parentRefs: [{name: edge, sectionName: pg}]
				  rules: [{backendRefs: [{name: pg-a, port: 5432}]}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: wrong-listener, namespace: shop}
				spec:
				  parentRefs: [{name: edge, sectionName: tls}]
				  rules: [{backendRefs: [{name: pg-a, port: 5432}]}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TLSRoute
				metadata: {name: no-host, namespace: shop}
				spec:
				  parentRefs: [{name: edge, sectionName: tls}]
				  hostnames: [db.example.org]
				  rules: [{backendRefs: [{name: pg-a, port: 5432}]}]
				""");

		// the reference to another namespace without a ReferenceGrant is left out; the older route keeps the port
		assertThat(conditions(translation.gatewayApi().l4().tcpRouteStatuses(), "TCPRoute", "older"))
			.containsExactly("Accepted=True/Accepted@null", "ResolvedRefs=False/RefNotPermitted@null");
		assertThat(translation.config().tcpRoutes()).extracting(TcpRoute::name, TcpRoute::backends)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("k8s-tcp-shop-older-5432",
					List.of(L4Backend.of("k8s-tcp-shop-pg-a-5432", 1))));
		assertThat(conditions(translation.gatewayApi().l4().tcpRouteStatuses(), "TCPRoute", "newer"))
			.containsExactly("Accepted=False/UnsupportedValue@null", "ResolvedRefs=True/ResolvedRefs@null");
		assertThat(conditions(translation.gatewayApi().l4().tcpRouteStatuses(), "TCPRoute", "wrong-listener"))
			.first().isEqualTo("Accepted=False/NotAllowedByListeners@null");
		assertThat(conditions(translation.gatewayApi().l4().tlsRouteStatuses(), "TLSRoute", "no-host"))
			.first().isEqualTo("Accepted=False/NoMatchingListenerHostname@null");
		assertThat(listeners(translation).get("pg").getAttachedRoutes()).isEqualTo(1);

		// a ReferenceGrant from TCPRoutes of shop lets the reference through
		KubernetesTranslation granted = translate(ServedPorts.DEFAULT, List.of(YAML.unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1beta1
				kind: ReferenceGrant
				metadata: {name: pg, namespace: data}
				spec:
				  from: [{group: gateway.networking.k8s.io, kind: TCPRoute, namespace: shop}]
				  to: [{group: "", kind: Service, name: pg-other}]
				""", ReferenceGrant.class)), service("pg-a", 5432), PG_OTHER, """
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: older, namespace: shop}
				spec:
				  parentRefs: [{name: edge, sectionName: pg}]
				  rules: [{backendRefs: [{name: pg-other, namespace: data, port: 5432}]}]
				""");
		assertThat(granted.config().tcpRoutes().get(0).backends()).containsExactly(L4Backend.of("k8s-tcp-data-pg-other-5432", 1));
	}

	// --- helpers

	/** A Service of another namespace than the routes'. */
	private static final String PG_OTHER = """
			apiVersion: v1
			kind: Service
			metadata: {name: pg-other, namespace: data}
			spec: {ports: [{port: 5432}]}
			""";

	private static final ServedPorts DEFAULT_WITH_OWN_9000 = ServedPorts.DEFAULT.withLocal(Set.of(9000));

	private KubernetesTranslation translate(String... yaml) {
		return translate(ServedPorts.DEFAULT, List.of(), yaml);
	}

	private KubernetesTranslation translate(ServedPorts served, List<ReferenceGrant> grants, String... yaml) {
		List<HasMetadata> objects = new ArrayList<>();
		objects.add(YAML.unmarshal(CLASS, GatewayClass.class));
		objects.add(YAML.unmarshal(GATEWAY, Gateway.class));
		for (String text : yaml) {
			objects.add(YAML.unmarshal(text));
		}
		ClusterSnapshot cluster = new ClusterSnapshot(of(objects, GatewayClass.class), of(objects, Gateway.class), List.of(),
				List.of(), of(objects, Service.class), List.of(), List.of(), ReferenceGrants.of(grants, List.of()), List.of(),
				null).withL4Routes(of(objects, TLSRoute.class), of(objects, TCPRoute.class));
		return KubernetesTranslation.translate(cluster, CONTROLLER, "meshgate", List.of("203.0.113.7"), served,
				new PemFiles(pem));
	}

	private static String service(String name, int port) {
		return """
				apiVersion: v1
				kind: Service
				metadata: {name: %s, namespace: shop}
				spec: {ports: [{port: %d}]}
				""".formatted(name, port);
	}

	private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static List<String> conditions(Map<ObjectKey, List<io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus>> statuses,
			String kind, String name) {
		return conditions(statuses.get(new ObjectKey(kind, "shop", name)).get(0).getConditions());
	}

	private static List<String> conditions(List<Condition> conditions) {
		return conditions.stream()
			.map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "@" + c.getObservedGeneration())
			.toList();
	}

	private static Map<String, ListenerStatus> listeners(KubernetesTranslation translation) {
		Map<String, ListenerStatus> byName = new java.util.LinkedHashMap<>();
		translation.gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "edge")).getListeners()
			.forEach(l -> byName.put(l.getName(), l));
		return byName;
	}

	private static List<String> kinds(ListenerStatus listener) {
		return listener.getSupportedKinds().stream().map(RouteGroupKind::getKind).toList();
	}

}
