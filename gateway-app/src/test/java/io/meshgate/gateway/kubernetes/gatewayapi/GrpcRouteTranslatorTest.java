package io.meshgate.gateway.kubernetes.gatewayapi;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.PemFiles;
import io.meshgate.gateway.kubernetes.RouteCandidate;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.policy.route.GrpcMatch;
import io.meshgate.policy.route.GrpcMatchType;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;

/** GRPCRoutes as Meshgate routes: method and header matches, weights, header modifiers, mirrors, refusals. */
class GrpcRouteTranslatorTest {

	static final KubernetesSerialization YAML = new KubernetesSerialization();

	@TempDir
	Path pem;

	private static final Set<RoutePlace> ONE_PLACE = new LinkedHashSet<>(List.of(new RoutePlace(80, null, List.of())));

	private HttpRouteTranslator.Result translate(String route, String... services) {
		List<Service> known = java.util.Arrays.stream(services)
			.map(name -> YAML.unmarshal("""
					apiVersion: v1
					kind: Service
					metadata: {name: %s, namespace: shop}
					spec: {ports: [{name: grpc, port: 9090, appProtocol: kubernetes.io/h2c}]}
					""".formatted(name), Service.class))
			.toList();
		ClusterSnapshot cluster = new ClusterSnapshot(null, null, null, null, known, null, null, null);
		return GrpcRouteTranslator.translate(YAML.unmarshal(route, GRPCRoute.class), ONE_PLACE,
				new ServiceUpstreams(cluster, new PemFiles(pem), "meshgate.io/gateway-controller"));
	}

	@Test
	void methodAndHeaderMatchesWeightsHeaderModifiersAndMirrorsAreTranslated() {
		HttpRouteTranslator.Result result = translate("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: orders, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches:
				    - method: {service: orders.v1.Orders, method: Get}
				      headers: [{name: x-tenant, value: a.b}]
				    - method: {service: "orders\\\\..*", method: "Watch.*", type: RegularExpression}
				    filters:
				    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-route, value: orders}]}}
				    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 9090}}}
				    backendRefs:
				    - {name: orders-v1, port: 9090, weight: 90}
				    - name: orders-v2
				      port: 9090
				      weight: 10
				      filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: x-v, value: "2"}]}}]
				""", "orders-v1", "orders-v2", "shadow");

		assertThat(result.unsupported()).isNull();
		assertThat(result.refsReason()).isNull();
		List<Route> routes = result.routes().stream().map(RouteCandidate::route).toList();
		assertThat(routes).extracting(Route::id)
			.containsExactly("k8s.grpcroute.shop.orders.0.0.0", "k8s.grpcroute.shop.orders.0.1.0");
		Route exact = routes.get(0);
		assertThat(exact.match().grpc()).isEqualTo(GrpcMatch.exact("orders.v1.Orders", "Get"));
		assertThat(exact.match().headers()).containsEntry("x-tenant", "a\\.b");
		assertThat(exact.match().listener().port()).isEqualTo(80);
		assertThat(exact.backends()).extracting(b -> b.upstream() + ":" + b.weight())
			.containsExactly("k8s-shop-orders-v1-9090:90", "k8s-shop-orders-v2-9090:10");
		assertThat(exact.backends().get(1).responseHeaders()).isNotNull();
		assertThat(exact.requestHeaders()).isNotNull();
		assertThat(exact.mirrors()).singleElement().satisfies(m -> assertThat(m.upstream()).isEqualTo("k8s-shop-shadow-9090"));
		assertThat(routes.get(1).match().grpc()).isEqualTo(new GrpcMatch("orders\\..*", "Watch.*", GrpcMatchType.REGEX));
	}

	@Test
	void aRuleWithoutMatchesTakesEveryCallAndAMissingServiceAnswers500() {
		HttpRouteTranslator.Result result = translate("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: all, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - backendRefs: [{name: ghost, port: 9090}]
				""");

		assertThat(result.refsReason()).isEqualTo("BackendNotFound");
		Route route = result.routes().get(0).route();
		assertThat(route.match().grpc()).isNull();
		assertThat(route.match().path()).isEqualTo("/");
		assertThat(route.backends()).singleElement().satisfies(b -> assertThat(b.status()).isEqualTo(500));
	}

	@Test
	void filtersGatewayApiDoesNotDefineForGrpcAreRefused() {
		HttpRouteTranslator.Result result = translate("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GRPCRoute
				metadata: {name: odd, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - filters: [{type: ExtensionRef, extensionRef: {group: x, kind: Y, name: z}}]
				    backendRefs: [{name: orders, port: 9090}]
				""", "orders");

		assertThat(result.routes()).isEmpty();
		assertThat(result.unsupported()).isEqualTo(
				"rules[0].filters[0].type: ExtensionRef (expected: RequestHeaderModifier, ResponseHeaderModifier or RequestMirror)");
	}

}
