package io.meshgate.gateway.kubernetes.gatewayapi;

import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
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
import io.meshgate.policy.route.GrpcMatch;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * GRPCRoutes in the controller's translation: attached to Gateway listeners as HTTPRoutes are,
 * counted in {@code attachedRoutes}, listed in {@code supportedKinds}, refused by listeners whose
 * {@code allowedRoutes.kinds} leave them out, and with ReferenceGrants for backends elsewhere.
 */
class GrpcRouteStatusTest {

	static final KubernetesSerialization YAML = new KubernetesSerialization();

	static final String CONTROLLER = "meshgate.io/gateway-controller";

	static final String GATEWAY = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: Gateway
			metadata: {name: web, namespace: shop}
			spec:
			  gatewayClassName: meshgate
			  listeners:
			  - {name: http, protocol: HTTP, port: 80}
			  - {name: rest, protocol: HTTP, port: 80, hostname: rest.example, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}
			""";

	@TempDir
	Path pem;

	@Test
	void grpcRoutesAttachCountAndAreListedAsASupportedKind() {
		KubernetesTranslation translation = translate(ReferenceGrants.NONE, GATEWAY, service("shop", "orders"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: orders, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules:
				  - matches: [{method: {service: orders.v1.Orders, method: Get}}]
				    backendRefs: [{name: orders, port: 9090}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: not-here, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: rest}]
				  rules: [{backendRefs: [{name: orders, port: 9090}]}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: site, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules: [{backendRefs: [{name: orders, port: 9090}]}]
				""");

		assertThat(conditions(translation, "orders")).extracting(Condition::getType, Condition::getStatus, Condition::getReason)
			.containsExactly(tuple("Accepted", "True", "Accepted"), tuple("ResolvedRefs", "True", "ResolvedRefs"));
		assertThat(conditions(translation, "not-here").get(0)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("NotAllowedByListeners");
		});
		List<Route> grpc = translation.config().routes().stream().filter(r -> r.id().startsWith("k8s.grpcroute.")).toList();
		assertThat(grpc).singleElement().satisfies(route -> {
			assertThat(route.match().grpc()).isEqualTo(GrpcMatch.exact("orders.v1.Orders", "Get"));
			assertThat(route.match().listener().port()).isEqualTo(80);
		});
		assertThat(translation.owners()).containsEntry(grpc.get(0).id(), new ObjectKey("GRPCRoute", "shop", "orders"));
		List<ListenerStatus> listeners = translation.gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "web"))
			.getListeners();
		assertThat(listeners).extracting(ListenerStatus::getName, ListenerStatus::getAttachedRoutes,
				l -> l.getSupportedKinds().stream().map(RouteGroupKind::getKind).toList())
			.containsExactly(tuple("http", 2, List.of("HTTPRoute", "GRPCRoute")), tuple("rest", 0, List.of("HTTPRoute")));
	}

	/**
	 * Gateway API (GRPCRoute): an implementation that does not take HTTP/2 with prior knowledge on
	 * an HTTP listener sets that listener's Accepted to False with reason UnsupportedProtocol. With
	 * {@code meshgate.ingress.h2c-prior-knowledge: false} the GRPCRoute is not served there and
	 * says why; the listener's HTTPRoutes are served as before.
	 */
	@Test
	void withoutCleartextHttp2AnHttpListenerTakesNoGrpcRouteAndIsNotAcceptedForIt() {
		String grpcRoute = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: orders, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules: [{backendRefs: [{name: orders, port: 9090}]}]
				""";
		String httpRoute = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: site, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules: [{backendRefs: [{name: orders, port: 9090}]}]
				""";
		KubernetesTranslation translation = translate(ServedPorts.DEFAULT.withCleartextHttp2(false), ReferenceGrants.NONE,
				GATEWAY, service("shop", "orders"), grpcRoute, httpRoute);

		assertThat(conditions(translation, "orders").get(0)).satisfies(c -> {
			assertThat(c.getType()).isEqualTo("Accepted");
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("UnsupportedProtocol");
			assertThat(c.getMessage()).contains("meshgate.ingress.h2c-prior-knowledge: false");
		});
		assertThat(translation.config().routes()).extracting(Route::id)
			.noneMatch(id -> id.startsWith("k8s.grpcroute."))
			.anyMatch(id -> id.startsWith("k8s.httproute."));
		assertThat(translation.gatewayApi().httpRoutes().get(new ObjectKey("HTTPRoute", "shop", "site")).get(0).getConditions()
			.get(0)
			.getStatus()).isEqualTo("True");
		List<ListenerStatus> listeners = translation.gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "web"))
			.getListeners();
		assertThat(listeners).extracting(ListenerStatus::getName, ListenerStatus::getAttachedRoutes,
				l -> l.getConditions().get(0).getStatus(), l -> l.getConditions().get(0).getReason())
			.containsExactly(tuple("http", 1, "False", "UnsupportedProtocol"), tuple("rest", 0, "True", "Accepted"));

		// with cleartext HTTP/2 (the default) the same objects are accepted
		KubernetesTranslation withH2c = translate(ReferenceGrants.NONE, GATEWAY, service("shop", "orders"), grpcRoute,
				httpRoute);
		assertThat(conditions(withH2c, "orders").get(0).getReason()).isEqualTo("Accepted");
		assertThat(withH2c.gatewayApi().gateways().get(new ObjectKey("Gateway", "shop", "web")).getListeners().get(0)
			.getConditions()
			.get(0)
			.getReason()).isEqualTo("Accepted");
	}

	@Test
	void aBackendInAnotherNamespaceNeedsAReferenceGrantFromGrpcRoutes() {
		String route = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: cross, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules: [{backendRefs: [{name: orders, namespace: billing, port: 9090}]}]
				""";
		String service = service("billing", "orders");

		assertThat(conditions(translate(ReferenceGrants.NONE, GATEWAY, service, route), "cross").get(1).getReason())
			.isEqualTo("RefNotPermitted");
		assertThat(conditions(translate(grant("HTTPRoute"), GATEWAY, service, route), "cross").get(1).getReason())
			.isEqualTo("RefNotPermitted");
		KubernetesTranslation granted = translate(grant("GRPCRoute"), GATEWAY, service, route);
		assertThat(conditions(granted, "cross").get(1).getReason()).isEqualTo("ResolvedRefs");
		assertThat(granted.config().upstreams()).singleElement()
			.satisfies(upstream -> assertThat(upstream.discovery().namespace()).isEqualTo("billing"));
	}

	private KubernetesTranslation translate(ReferenceGrants grants, String... yaml) {
		return translate(ServedPorts.DEFAULT, grants, yaml);
	}

	private KubernetesTranslation translate(ServedPorts served, ReferenceGrants grants, String... yaml) {
		List<HasMetadata> objects = new java.util.ArrayList<>();
		objects.add(YAML.unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: %s}
				""".formatted(CONTROLLER), GatewayClass.class));
		for (String text : yaml) {
			objects.add(YAML.unmarshal(text));
		}
		ClusterSnapshot cluster = new ClusterSnapshot(of(objects, GatewayClass.class), of(objects, Gateway.class),
				of(objects, HTTPRoute.class), null, of(objects, Service.class), null, null, grants, null, null)
			.withGrpcRoutes(of(objects, GRPCRoute.class));
		return KubernetesTranslation.translate(cluster, CONTROLLER, "meshgate", List.of("203.0.113.7"), served,
				new PemFiles(pem));
	}

	private static ReferenceGrants grant(String fromKind) {
		return ReferenceGrants.of(List.of(YAML.unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1beta1
				kind: ReferenceGrant
				metadata: {name: from-shop, namespace: billing}
				spec:
				  from: [{group: gateway.networking.k8s.io, kind: %s, namespace: shop}]
				  to: [{group: "", kind: Service}]
				""".formatted(fromKind), ReferenceGrant.class)), null);
	}

	private static List<Condition> conditions(KubernetesTranslation translation, String route) {
		List<RouteParentStatus> parents = translation.gatewayApi().grpcRoutes().get(new ObjectKey("GRPCRoute", "shop", route));
		return parents.get(0).getConditions();
	}

	private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static String service(String namespace, String name) {
		return """
				apiVersion: v1
				kind: Service
				metadata: {name: %s, namespace: %s}
				spec: {ports: [{name: grpc, port: 9090, appProtocol: kubernetes.io/h2c}]}
				""".formatted(name, namespace);
	}

}
