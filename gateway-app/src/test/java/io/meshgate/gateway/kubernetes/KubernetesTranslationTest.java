package io.meshgate.gateway.kubernetes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.tls.TlsPolicy;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translation of Kubernetes objects into routes, upstreams and statuses, as pure functions:
 * objects in, configuration and statuses out, no server.
 */
class KubernetesTranslationTest {

	static final KubernetesSerialization YAML = new KubernetesSerialization();

	static final String CLASS = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: GatewayClass
			metadata: {name: meshgate}
			spec: {controllerName: meshgate.io/gateway-controller}
			""";

	static final String GATEWAY = """
			apiVersion: gateway.networking.k8s.io/v1
			kind: Gateway
			metadata: {name: web, namespace: shop}
			spec:
			  gatewayClassName: meshgate
			  listeners:
			  - {name: http, protocol: HTTP, port: 80}
			  - {name: shop, protocol: HTTP, port: 80, hostname: "*.shop.example"}
			""";

	/** A CA certificate as a ConfigMap's {@code ca.crt} holds it: a policy with anything else is not usable. */
	static final String CA_PEM = caPem();

	@TempDir
	Path pem;

	private static String caPem() {
		try {
			return java.nio.file.Files.readString(io.meshgate.policy.testing.TestPki.create("Translation Test CA")
				.writeCa(java.nio.file.Files.createTempDirectory("translation-ca")));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void weightedBackendsMirrorAndTimeoutsBecomeOneRoutePerMatchAndHost() {
		KubernetesTranslation translation = translate(objects(service("orders-v1"), service("orders-v2"), service("shadow"),
				"""
						apiVersion: gateway.networking.k8s.io/v1
						kind: HTTPRoute
						metadata: {name: orders, namespace: shop, annotations: {meshgate.io/sticky-on: "cookie:session"}}
						spec:
						  parentRefs: [{name: web, sectionName: shop}]
						  hostnames: [a.shop.example, b.shop.example]
						  rules:
						  - matches: [{path: {type: PathPrefix, value: /orders}, method: GET, headers: [{name: x-env, value: "a.b"}]}]
						    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}, fraction: {numerator: 1, denominator: 4}}}]
						    backendRefs: [{name: orders-v1, port: 80, weight: 90}, {name: orders-v2, port: 80, weight: 10}]
						    timeouts: {request: 1m30s, backendRequest: 500ms}
						"""));

		List<Route> routes = translation.config().routes();
		assertThat(routes).extracting(Route::id)
			.containsExactly("k8s.httproute.shop.orders.0.0.0", "k8s.httproute.shop.orders.0.0.1");
		Route route = routes.get(0);
		assertThat(route.match().path()).isEqualTo("/orders");
		assertThat(route.match().pathType()).isEqualTo(PathType.PREFIX);
		assertThat(route.match().host()).isEqualTo("a.shop.example");
		assertThat(route.match().methods()).containsExactly("GET");
		assertThat(route.match().headers()).containsEntry("x-env", "a\\.b");
		assertThat(route.backends()).extracting(b -> b.upstream() + ":" + b.weight())
			.containsExactly("k8s-shop-orders-v1-80:90", "k8s-shop-orders-v2-80:10");
		assertThat(route.mirrors()).singleElement().satisfies(m -> {
			assertThat(m.upstream()).isEqualTo("k8s-shop-shadow-80");
			assertThat(m.percentage()).isEqualTo(25.0);
		});
		assertThat(route.timeout()).hasSeconds(90);
		assertThat(route.retries().attempts()).isZero();
		assertThat(route.retries().perTryTimeout()).hasMillis(500);
		assertThat(route.canary().stickyOn()).hasToString("cookie:session");
		Upstream upstream = translation.config().upstreams().get(0);
		assertThat(upstream.discovery().serviceId()).isEqualTo("orders-v1");
		assertThat(upstream.discovery().namespace()).isEqualTo("shop");
		assertThat(upstream.discovery().port()).isEqualTo("http");
		assertThat(conditions(translation, "orders")).extracting(Condition::getType, Condition::getStatus, Condition::getReason)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("Accepted", "True", "Accepted"),
					org.assertj.core.groups.Tuple.tuple("ResolvedRefs", "True", "ResolvedRefs"));
	}

	@Test
	void theCanaryOverrideIsOffUnlessAnnotatedAndNeverReachesWeightZero() {
		String route = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: orders, namespace: shop%s}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /orders}}]
				    backendRefs: [{name: orders-v1, port: 80, weight: 1}, {name: orders-v2, port: 80, weight: 0}]
				""";
		Route plain = only(translate(objects(service("orders-v1"), service("orders-v2"), route.formatted(""))));
		Route annotated = only(translate(objects(service("orders-v1"), service("orders-v2"), route.formatted(
				", annotations: {meshgate.io/canary-override-header: x-canary, meshgate.io/canary-override-from: \"10.0.0.0/8, 2001:db8::/32\"}"))));

		assertThat(plain.canary().overridable()).isFalse();
		assertThat(annotated.canary().overrideHeader()).isEqualTo("x-canary");
		assertThat(annotated.canary().overrideFrom()).containsExactly("10.0.0.0/8", "2001:db8::/32");
		// weight 0 means no traffic: no annotation lets a header reach it
		assertThat(annotated.canary().allowZeroWeight()).isFalse();
	}

	@Test
	void theExtAuthzAnnotationBecomesTheRoutesExternalAuthorization() {
		Route httpRoute = only(translate(objects(service("orders-v1"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: orders
				  namespace: shop
				  annotations: {meshgate.io/ext-authz: "{uri: 'http://authz.auth:9000/check', headersToUpstreamOnAllow: [x-user-id]}"}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules: [{matches: [{path: {type: PathPrefix, value: /orders}}], backendRefs: [{name: orders-v1, port: 80}]}]
				""")));
		Route ingress = only(translate(objects(service("web"), """
				apiVersion: networking.k8s.io/v1
				kind: Ingress
				metadata:
				  name: site
				  namespace: shop
				  annotations: {meshgate.io/ext-authz: "{uri: 'https://authz.auth/check', failOpen: true}"}
				spec:
				  ingressClassName: meshgate
				  defaultBackend: {service: {name: web, port: {number: 80}}}
				""")));

		assertThat(httpRoute.extAuthz().uri()).hasToString("http://authz.auth:9000/check");
		assertThat(httpRoute.extAuthz().headersToUpstreamOnAllow()).containsExactly("x-user-id");
		assertThat(ingress.extAuthz().uri()).hasToString("https://authz.auth/check");
		assertThat(ingress.extAuthz().failOpen()).isTrue();
	}

	private static Route only(KubernetesTranslation translation) {
		assertThat(translation.config().routes()).hasSize(1);
		return translation.config().routes().get(0);
	}

	@Test
	void precedenceExactThenLongestPrefixThenMethodThenHeadersThenAgeThenName() {
		KubernetesTranslation translation = translate(objects(service("svc"),
				route("b-prefix", "2024-01-01T00:00:00Z", "{path: {type: PathPrefix, value: /api}}"),
				route("a-prefix", "2024-01-01T00:00:00Z", "{path: {type: PathPrefix, value: /api}}"),
				route("old-prefix", "2020-01-01T00:00:00Z", "{path: {type: PathPrefix, value: /api}}"),
				route("long-prefix", "2025-01-01T00:00:00Z", "{path: {type: PathPrefix, value: /api/v1}}"),
				route("exact", "2025-01-01T00:00:00Z", "{path: {type: Exact, value: /api}}"),
				route("method", "2025-01-01T00:00:00Z", "{path: {type: PathPrefix, value: /api}, method: POST}"),
				route("headers", "2025-01-01T00:00:00Z",
						"{path: {type: PathPrefix, value: /api}, headers: [{name: a, value: b}]}")));

		assertThat(translation.config().routes()).extracting(r -> r.id().split("\\.")[3])
			.containsExactly("exact", "long-prefix", "method", "headers", "old-prefix", "a-prefix", "b-prefix");
	}

	@Test
	void missingServiceIsBackendNotFoundAndOtherNamespaceIsRefNotPermitted() {
		KubernetesTranslation missing = translate(objects(route("ghost", null, "{path: {type: PathPrefix, value: /}}")));
		assertThat(conditions(missing, "ghost").get(1)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("BackendNotFound");
		});
		// the rule still takes its requests, answering 500 until the Service appears
		assertThat(missing.config().routes()).singleElement()
			.satisfies(r -> assertThat(r.backends()).containsExactly(Backend.answering(500, 1)));
		assertThat(missing.config().upstreams()).isEmpty();

		KubernetesTranslation elsewhere = translate(objects("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: cross, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules: [{backendRefs: [{name: svc, namespace: other, port: 80}]}]
				"""));
		assertThat(conditions(elsewhere, "cross").get(1).getReason()).isEqualTo("RefNotPermitted");
		// one route per listener host name, each answering 500
		assertThat(elsewhere.config().routes()).hasSize(2)
			.allSatisfy(r -> assertThat(r.backends()).containsExactly(Backend.answering(500, 1)));
	}

	@Test
	void unusableBackendsKeepTheirWeightAsA500ShareAndRulesWithoutBackendsAnswer500() {
		KubernetesTranslation translation = translate(objects(service("a"), service("b"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: mixed, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /split}}]
				    backendRefs:
				    - {name: a, port: 80, weight: 70}
				    - {group: unknownkind.example.com, kind: NonExistent, name: a, port: 80, weight: 20}
				    - {name: b, port: 80, weight: 10}
				  - matches: [{path: {type: Exact, value: /none}}]
				  - matches: [{path: {type: Exact, value: /zero}}]
				    backendRefs: [{name: a, port: 80, weight: 0}]
				  - matches: [{path: {type: Exact, value: /gone}}]
				    backendRefs: [{name: gone, port: 80, weight: 3}, {name: b, port: 80, weight: 1}]
				"""));

		Map<String, List<String>> backends = new java.util.TreeMap<>();
		translation.config().routes().forEach(r -> backends.put(r.match().path(),
				r.backends().stream().map(b -> b.target() + ":" + b.weight()).toList()));
		assertThat(backends).containsOnly(
				Map.entry("/split", List.of("k8s-shop-a-80:70", "status:500:20", "k8s-shop-b-80:10")),
				Map.entry("/none", List.of("status:500:1")),
				Map.entry("/zero", List.of("k8s-shop-a-80:0", "status:500:1")),
				Map.entry("/gone", List.of("status:500:3", "k8s-shop-b-80:1")));
		// the first problem found is the route's reason; the upstream of a missing Service is not served
		assertThat(conditions(translation, "mixed").get(1).getReason()).isEqualTo("InvalidKind");
		assertThat(translation.config().upstreams()).extracting(Upstream::name)
			.containsExactlyInAnyOrder("k8s-shop-a-80", "k8s-shop-b-80");
	}

	@Test
	void unsupportedFilterIsNotAcceptedWithUnsupportedValue() {
		KubernetesTranslation translation = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: odd, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - filters: [{type: ExtensionRef, extensionRef: {group: x.io, kind: Y, name: z}}]
				    backendRefs: [{name: svc, port: 80}]
				"""));

		assertThat(translation.config().routes()).isEmpty();
		assertThat(conditions(translation, "odd").get(0)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("UnsupportedValue");
			assertThat(c.getMessage()).isEqualTo("rules[0].filters[0].type: ExtensionRef (expected: RequestHeaderModifier, "
					+ "ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror or CORS)");
		});
	}

	/**
	 * A rollout declared on an HTTPRoute cannot make its canary the baseline: that would rewrite the
	 * backendRefs, and Meshgate never writes the user's HTTPRoute. The route is refused with the reason.
	 */
	@Test
	void anHttpRouteRolloutThatWouldPromoteToBaselineIsNotAccepted() {
		KubernetesTranslation translation = translate(objects(service("v1"), service("v2"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: promoted
				  namespace: shop
				  annotations: {meshgate.io/rollout: '{steps: [50, 100], promoteToBaseline: true}'}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - backendRefs: [{name: v1, port: 80, weight: 100}, {name: v2, port: 80, weight: 0}]
				"""));

		assertThat(translation.config().routes()).isEmpty();
		assertThat(conditions(translation, "promoted").get(0)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("UnsupportedValue");
			assertThat(c.getMessage()).isEqualTo("meshgate.io/rollout.promoteToBaseline: true (expected: false; "
					+ "Meshgate never rewrites the HTTPRoute's backendRefs)");
		});
	}

	@Test
	void headerFiltersOnABackendRefBecomeThatBackendsAndOtherTypesRefuseTheRoute() {
		KubernetesTranslation translation = translate(objects(service("a"), service("b"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: split, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - backendRefs:
				    - {name: a, port: 80, weight: 7}
				    - name: b
				      port: 80
				      weight: 3
				      filters:
				      - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-backend, value: b}]}}
				      - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [x-internal]}}
				    - name: missing
				      port: 80
				      filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-backend, value: m}]}}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: rewriting, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - backendRefs:
				    - {name: a, port: 80, filters: [{type: URLRewrite, urlRewrite: {hostname: x.internal}}]}
				"""));

		Route split = translation.config().routes().stream().filter(r -> r.id().contains("split")).findFirst().orElseThrow();
		assertThat(split.backends()).hasSize(3);
		assertThat(split.backends().get(0).changesHeaders()).isFalse();
		assertThat(split.backends().get(1).requestHeaders()).isEqualTo(HeaderModifier.set("x-backend", "b"));
		assertThat(split.backends().get(1).responseHeaders().remove()).containsExactly("x-internal");
		assertThat(split.backends().get(2).status()).isEqualTo(500);
		assertThat(split.backends().get(2).changesHeaders()).isFalse();
		assertThat(conditions(translation, "rewriting").get(0)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("UnsupportedValue");
			assertThat(c.getMessage()).isEqualTo("rules[0].backendRefs[0].filters[0].type: URLRewrite (expected: "
					+ "RequestHeaderModifier or ResponseHeaderModifier on a backendRef)");
		});
	}

	@Test
	void routeOfAnotherNamespaceIsNotAllowedByDefaultListeners() {
		KubernetesTranslation translation = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: foreign, namespace: team}
				spec:
				  parentRefs: [{name: web, namespace: shop}]
				  rules: [{backendRefs: [{name: svc, port: 80}]}]
				"""));

		assertThat(conditions(translation, "foreign").get(0).getReason()).isEqualTo("NotAllowedByListeners");
		assertThat(translation.config().routes()).isEmpty();
	}

	@Test
	void aSelectorAdmitsRoutesOfNamespacesWhoseLabelsMatchAllItsRequirements() {
		String gateway = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: picky, namespace: shop}
				spec:
				  gatewayClassName: meshgate
				  listeners:
				  - name: http
				    protocol: HTTP
				    port: 80
				    allowedRoutes:
				      namespaces:
				        from: Selector
				        selector:
				          matchLabels: {team: shop}
				          matchExpressions:
				          - {key: env, operator: In, values: [prod, staging]}
				          - {key: tier, operator: NotIn, values: [internal]}
				          - {key: owner, operator: Exists}
				          - {key: legacy, operator: DoesNotExist}
				""";
		Map<String, Map<String, String>> namespaces = Map.of(
				"admitted", Map.of("team", "shop", "env", "staging", "tier", "edge", "owner", "ana"),
				"other-team", Map.of("team", "ops", "env", "prod", "owner", "ana"),
				"wrong-env", Map.of("team", "shop", "env", "dev", "owner", "ana"),
				"internal", Map.of("team", "shop", "env", "prod", "tier", "internal", "owner", "ana"),
				"unowned", Map.of("team", "shop", "env", "prod"),
				"legacy", Map.of("team", "shop", "env", "prod", "owner", "ana", "legacy", "yes"));
		List<HasMetadata> objects = new ArrayList<>(List.of(YAML.unmarshal(CLASS, GatewayClass.class),
				YAML.unmarshal(gateway, Gateway.class)));
		namespaces.forEach((name, labels) -> {
			objects.add(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
				.withName(name)
				.withLabels(labels)
				.endMetadata()
				.build());
			objects.add(YAML.unmarshal("""
					apiVersion: gateway.networking.k8s.io/v1
					kind: HTTPRoute
					metadata: {name: r, namespace: %s}
					spec:
					  parentRefs: [{name: picky, namespace: shop}]
					  rules: [{backendRefs: [{name: svc, port: 80}]}]
					""".formatted(name)));
		});
		ClusterSnapshot cluster = new ClusterSnapshot(of(objects, GatewayClass.class), of(objects, Gateway.class),
				of(objects, HTTPRoute.class), List.of(), List.of(), List.of(), List.of(), ReferenceGrants.NONE,
				of(objects, io.fabric8.kubernetes.api.model.Namespace.class), null);
		KubernetesTranslation translation = KubernetesTranslation.translate(cluster, "meshgate.io/gateway-controller",
				"meshgate", List.of("203.0.113.7"), ServedPorts.DEFAULT, new PemFiles(pem));

		namespaces.keySet().forEach(namespace -> assertThat(translation.gatewayApi()
			.httpRoutes()
			.get(new ObjectKey("HTTPRoute", namespace, "r"))
			.get(0)
			.getConditions()
			.get(0)
			.getReason()).as(namespace).isEqualTo(namespace.equals("admitted") ? "Accepted" : "NotAllowedByListeners"));
		assertThat(translation.config().routes()).extracting(Route::id).containsExactly("k8s.httproute.admitted.r.0.0.0");
	}

	@Test
	void hostNamesOutsideTheListenersAreNoMatchingListenerHostname() {
		KubernetesTranslation translation = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: elsewhere, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: shop}]
				  hostnames: [www.other.example, "*.shop.example"]
				  rules: [{backendRefs: [{name: svc, port: 80}]}]
				"""));

		// the wildcard route host name narrows to the listener's, which it covers
		assertThat(translation.config().routes()).extracting(r -> r.match().host()).containsExactly("*.shop.example");

		KubernetesTranslation none = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: elsewhere, namespace: shop}
				spec:
				  parentRefs: [{name: web, sectionName: shop}]
				  hostnames: [www.other.example]
				  rules: [{backendRefs: [{name: svc, port: 80}]}]
				"""));
		assertThat(conditions(none, "elsewhere").get(0).getReason()).isEqualTo("NoMatchingListenerHostname");
		assertThat(none.config().routes()).isEmpty();
	}

	@Test
	void pemFilesArePrivateAndRewrittenOnlyWhenChanged() throws Exception {
		PemFiles files = new PemFiles(pem.resolve("tls"));
		java.nio.file.Path file = files.write("ca.crt", "one");
		// a time no rewrite can give the file, whatever the file system's clock resolution
		java.nio.file.attribute.FileTime written = java.nio.file.attribute.FileTime.fromMillis(0);
		java.nio.file.Files.setLastModifiedTime(file, written);

		assertThat(files.write("ca.crt", "one")).isEqualTo(file);
		assertThat(java.nio.file.Files.getLastModifiedTime(file)).isEqualTo(written);
		assertThat(java.nio.file.Files.getPosixFilePermissions(file))
			.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
		assertThat(java.nio.file.Files.getPosixFilePermissions(pem.resolve("tls")))
			.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
		files.write("ca.crt", "two");
		assertThat(file).hasContent("two");
	}

	@Test
	void routeOfAnotherControllersGatewayGetsNoStatus() {
		List<HasMetadata> objects = objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: theirs, namespace: shop}
				spec:
				  parentRefs: [{name: envoy}]
				  rules: [{backendRefs: [{name: svc, port: 80}]}]
				""");
		KubernetesTranslation translation = translate(objects);

		assertThat(translation.gatewayApi().httpRoutes()).isEmpty();
		assertThat(translation.config().routes()).isEmpty();
	}

	@Test
	void serviceAnnotationsBecomeUpstreamPoliciesAndInvalidOnesRefuseTheRoute() {
		KubernetesTranslation good = translate(objects("""
				apiVersion: v1
				kind: Service
				metadata:
				  name: svc
				  namespace: shop
				  annotations:
				    meshgate.io/load-balancer: "{policy: LEAST_REQUEST}"
				    meshgate.io/outlier-detection: "{consecutive5xx: 3}"
				spec: {ports: [{name: http, port: 80}]}
				""", route("r", null, "{path: {type: PathPrefix, value: /}}")));
		Upstream upstream = good.config().upstreams().get(0);
		assertThat(upstream.loadBalancer().policy().name()).isEqualTo("LEAST_REQUEST");
		assertThat(upstream.outlierDetection().consecutive5xx()).isEqualTo(3);

		KubernetesTranslation bad = translate(objects("""
				apiVersion: v1
				kind: Service
				metadata:
				  name: svc
				  namespace: shop
				  annotations: {meshgate.io/circuit-breaker: "{failureRateThreshold: 150}"}
				spec: {ports: [{name: http, port: 80}]}
				""", route("r", null, "{path: {type: PathPrefix, value: /}}")));
		assertThat(bad.config().routes()).isEmpty();
		assertThat(conditions(bad, "r").get(0).getMessage()).contains("failureRateThreshold: 150");
	}

	@Test
	void appProtocolH2cMakesTheUpstreamSpeakHttp2WithPriorKnowledge() {
		KubernetesTranslation h2c = translate(objects("""
				apiVersion: v1
				kind: Service
				metadata: {name: svc, namespace: shop}
				spec: {ports: [{name: grpc, port: 80, appProtocol: kubernetes.io/h2c}, {name: http, port: 81}]}
				""", route("r", null, "{path: {type: PathPrefix, value: /}}")));
		assertThat(h2c.config().upstreams().get(0).protocol()).isEqualTo(UpstreamProtocol.H2C);
	}

	@Test
	void backendTlsPolicyGivesSimpleTlsWithTheCaAndHostname() {
		ClusterSnapshot cluster = snapshot(objects(service("secure"), route("r", null, "{path: {type: PathPrefix, value: /}}")
			.replace("name: svc", "name: secure"), """
				apiVersion: gateway.networking.k8s.io/v1alpha3
				kind: BackendTLSPolicy
				metadata: {name: secure-tls, namespace: shop}
				spec:
				  targetRefs: [{group: "", kind: Service, name: secure}]
				  validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: secure-ca}], hostname: secure.shop.svc}
				"""))
			.withData(Map.of(new ObjectKey("ConfigMap", "shop", "secure-ca"), Map.of("ca.crt", CA_PEM)));

		KubernetesTranslation translation = KubernetesTranslation.translate(cluster, "meshgate.io/gateway-controller",
				"meshgate", List.of(), ServedPorts.DEFAULT, new PemFiles(pem));

		TlsPolicy tls = translation.config().upstreams().get(0).tls();
		assertThat(tls.mode()).isEqualTo(TlsPolicy.Mode.SIMPLE);
		assertThat(tls.subjectAltNames()).containsExactly("secure.shop.svc");
		assertThat(tls.caCertificates()).hasContent(CA_PEM);
		assertThat(tls.caCertificates().getParent()).isEqualTo(pem);
	}

	@Test
	void backendTlsPolicyV1WithSubjectAltNamesChecksThemInsteadOfTheHostname() {
		ClusterSnapshot cluster = snapshot(objects(service("secure"), route("r", null, "{path: {type: PathPrefix, value: /}}")
			.replace("name: svc", "name: secure"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: BackendTLSPolicy
				metadata: {name: secure-tls, namespace: shop}
				spec:
				  targetRefs: [{group: "", kind: Service, name: secure}]
				  validation:
				    caCertificateRefs: [{group: "", kind: ConfigMap, name: secure-ca}]
				    hostname: secure.shop.svc
				    subjectAltNames:
				    - {type: URI, uri: "spiffe://cluster.local/ns/shop/sa/secure"}
				    - {type: Hostname, hostname: secure.example}
				""", """
				apiVersion: gateway.networking.k8s.io/v1alpha3
				kind: BackendTLSPolicy
				metadata: {name: secure-tls, namespace: shop}
				spec:
				  targetRefs: [{group: "", kind: Service, name: secure}]
				  validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: other-ca}], hostname: other.shop.svc}
				"""))
			.withData(Map.of(new ObjectKey("ConfigMap", "shop", "secure-ca"), Map.of("ca.crt", CA_PEM)));

		KubernetesTranslation translation = KubernetesTranslation.translate(cluster, "meshgate.io/gateway-controller",
				"meshgate", List.of(), ServedPorts.DEFAULT, new PemFiles(pem));

		// one policy served under both versions counts once, as v1
		assertThat(cluster.backendTlsPolicies()).hasSize(1);
		TlsPolicy tls = translation.config().upstreams().get(0).tls();
		assertThat(tls.mode()).isEqualTo(TlsPolicy.Mode.SIMPLE);
		assertThat(tls.subjectAltNames()).containsExactly("spiffe://cluster.local/ns/shop/sa/secure", "secure.example");
		assertThat(tls.caCertificates()).hasContent(CA_PEM);
	}

	@Test
	void backendTlsPolicyForAPortWinsOverOlderOnesForTheServiceAndTheOldestOfTheseOverNames() {
		String policy = """
				apiVersion: gateway.networking.k8s.io/v1
				kind: BackendTLSPolicy
				metadata: {name: %s, namespace: shop, creationTimestamp: "%s"}
				spec:
				  targetRefs: [{group: "", kind: Service, name: secure%s}]
				  validation: {wellKnownCACertificates: System, hostname: %s}
				""";
		String route = route("r", null, "{path: {type: PathPrefix, value: /}}").replace("name: svc", "name: secure");
		String oldest = policy.formatted("z-old", "2020-01-01T00:00:00Z", "", "old.example");
		String newer = policy.formatted("a-new", "2024-01-01T00:00:00Z", "", "new.example");
		String otherPort = policy.formatted("x-other", "2000-01-01T00:00:00Z", ", sectionName: metrics", "other.example");
		String thisPort = policy.formatted("m-port", "2025-01-01T00:00:00Z", ", sectionName: http", "port.example");

		assertThat(hostnameChecked(objects(service("secure"), route, newer, oldest, otherPort))).isEqualTo("old.example");
		assertThat(hostnameChecked(objects(service("secure"), route, newer, oldest, otherPort, thisPort)))
			.isEqualTo("port.example");
	}

	private String hostnameChecked(List<HasMetadata> objects) {
		KubernetesTranslation translation = KubernetesTranslation.translate(snapshot(objects),
				"meshgate.io/gateway-controller", "meshgate", List.of(), ServedPorts.DEFAULT, new PemFiles(pem));
		return translation.config().upstreams().get(0).tls().subjectAltNames().get(0);
	}

	@Test
	void backendTlsPolicyV1WithWellKnownSystemCertificatesTrustsTheJvmCas() {
		ClusterSnapshot cluster = snapshot(objects(service("public"), route("r", null, "{path: {type: PathPrefix, value: /}}")
			.replace("name: svc", "name: public"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: BackendTLSPolicy
				metadata: {name: public-tls, namespace: shop}
				spec:
				  targetRefs: [{group: "", kind: Service, name: public}]
				  validation: {wellKnownCACertificates: System, hostname: api.example.com}
				"""));

		KubernetesTranslation translation = KubernetesTranslation.translate(cluster, "meshgate.io/gateway-controller",
				"meshgate", List.of(), ServedPorts.DEFAULT, new PemFiles(pem));

		TlsPolicy tls = translation.config().upstreams().get(0).tls();
		assertThat(tls.mode()).isEqualTo(TlsPolicy.Mode.SIMPLE);
		assertThat(tls.subjectAltNames()).containsExactly("api.example.com");
		assertThat(tls.caCertificates()).content().startsWith("-----BEGIN CERTIFICATE-----\n");
	}

	@Test
	void ingressOfOurClassWithHostsPathsAndDefaultBackend() {
		KubernetesTranslation translation = translate(objects(service("web"), """
				apiVersion: networking.k8s.io/v1
				kind: Ingress
				metadata: {name: site, namespace: shop}
				spec:
				  ingressClassName: meshgate
				  defaultBackend: {service: {name: web, port: {number: 80}}}
				  rules:
				  - host: www.example.com
				    http: {paths: [{path: /docs, pathType: Exact, backend: {service: {name: web, port: {name: http}}}}]}
				""", """
				apiVersion: networking.k8s.io/v1
				kind: Ingress
				metadata: {name: theirs, namespace: shop}
				spec:
				  ingressClassName: nginx
				  defaultBackend: {service: {name: web, port: {number: 80}}}
				"""));

		assertThat(translation.config().routes())
			.extracting(r -> r.id() + " " + r.match().host() + " " + r.match().pathType() + " " + r.match().path())
			.containsExactly("k8s.ingress.shop.site.0.0 www.example.com EXACT /docs", "k8s.ingress.shop.site.1 null PREFIX /");
		assertThat(translation.ingress().served()).containsExactly(new ObjectKey("Ingress", "shop", "site"));
	}

	@Test
	void filtersQueryMatchesAndRegexPathsBecomeRouteFields() {
		KubernetesTranslation translation = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: filters, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /old}, queryParams: [{name: v, value: "2"}]}]
				    filters:
				    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: "1"}], remove: [x-b]}}
				    - {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: x-c, value: "3"}]}}
				    - {type: URLRewrite, urlRewrite: {hostname: new.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}
				    backendRefs: [{name: svc, port: 80}]
				  - matches: [{path: {type: RegularExpression, value: "/moved/[0-9]+"}}]
				    filters:
				    - {type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /here}}}
				"""));

		assertThat(conditions(translation, "filters").get(0).getMessage()).isEqualTo("Served by Meshgate");
		Route rewrite = translation.config().routes().stream().filter(r -> r.id().endsWith(".0.0.0")).findFirst().orElseThrow();
		assertThat(rewrite.match().query()).containsEntry("v", "2");
		assertThat(rewrite.requestHeaders().set()).containsEntry("x-a", "1");
		assertThat(rewrite.requestHeaders().remove()).containsExactly("x-b");
		assertThat(rewrite.responseHeaders().add()).containsEntry("x-c", "3");
		assertThat(rewrite.rewrite().hostname()).isEqualTo("new.internal");
		assertThat(rewrite.rewrite().replacePrefixMatch()).isEqualTo("/new");
		Route redirect = translation.config().routes().stream().filter(r -> r.id().endsWith(".1.0.0")).findFirst().orElseThrow();
		assertThat(redirect.match().pathType()).isEqualTo(PathType.REGEX);
		assertThat(redirect.backends()).isEmpty();
		assertThat(redirect.redirect().scheme()).isEqualTo("https");
		assertThat(redirect.redirect().statusCode()).isEqualTo(301);
		assertThat(redirect.redirect().replaceFullPath()).isEqualTo("/here");
	}

	@Test
	void corsFilterBecomesTheRoutesCorsAndAnInvalidOneRefusesTheRoute() {
		KubernetesTranslation translation = translate(objects(service("svc"), """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: cors, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]
				    filters:
				    - type: CORS
				      cors:
				        allowOrigins: ["https://www.foo.com", "https://*.bar.com"]
				        allowMethods: [GET, OPTIONS]
				        allowHeaders: [x-header-1, x-header-2]
				        exposeHeaders: [x-header-3]
				        allowCredentials: true
				        maxAge: 3600
				    backendRefs: [{name: svc, port: 80}]
				""", """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: bad-cors, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - filters:
				    - type: CORS
				      cors: {allowOrigins: ["*", "https://www.foo.com"], allowCredentials: true}
				    backendRefs: [{name: svc, port: 80}]
				"""));

		assertThat(conditions(translation, "cors").get(0).getMessage()).isEqualTo("Served by Meshgate");
		Route route = translation.config().routes().get(0);
		assertThat(route.cors().allowOrigins()).containsExactly("https://www.foo.com", "https://*.bar.com");
		assertThat(route.cors().allowMethods()).containsExactly("GET", "OPTIONS");
		assertThat(route.cors().allowHeaders()).containsExactly("x-header-1", "x-header-2");
		assertThat(route.cors().exposeHeaders()).containsExactly("x-header-3");
		assertThat(route.cors().allowCredentials()).isTrue();
		assertThat(route.cors().maxAge()).hasHours(1);
		assertThat(translation.config().routes()).extracting(Route::id).noneMatch(id -> id.contains(".bad-cors."));
		assertThat(conditions(translation, "bad-cors").get(0)).satisfies(c -> {
			assertThat(c.getStatus()).isEqualTo("False");
			assertThat(c.getReason()).isEqualTo("UnsupportedValue");
			assertThat(c.getMessage()).startsWith("allowOrigins: [*, https://www.foo.com] (expected: * alone, or no *)");
		});
	}

	// --- helpers

	private KubernetesTranslation translate(List<HasMetadata> objects) {
		return KubernetesTranslation.translate(snapshot(objects), "meshgate.io/gateway-controller", "meshgate",
				List.of("203.0.113.7"), ServedPorts.DEFAULT, new PemFiles(pem));
	}

	private static List<Condition> conditions(KubernetesTranslation translation, String route) {
		List<RouteParentStatus> parents = translation.gatewayApi().httpRoutes().get(new ObjectKey("HTTPRoute", "shop", route));
		if (parents == null) {
			parents = translation.gatewayApi().httpRoutes().get(new ObjectKey("HTTPRoute", "team", route));
		}
		return parents.get(0).getConditions();
	}

	private static List<HasMetadata> objects(String... yaml) {
		List<HasMetadata> objects = new ArrayList<>();
		objects.add(YAML.unmarshal(CLASS, GatewayClass.class));
		objects.add(YAML.unmarshal(GATEWAY, Gateway.class));
		for (String text : yaml) {
			objects.add(YAML.unmarshal(text));
		}
		return objects;
	}

	private static ClusterSnapshot snapshot(List<HasMetadata> objects) {
		return new ClusterSnapshot(of(objects, GatewayClass.class), of(objects, Gateway.class), of(objects, HTTPRoute.class),
				BackendTlsPolicies.of(of(objects, BackendTLSPolicy.class), of(objects, GenericKubernetesResource.class)
					.stream()
					.filter(o -> "BackendTLSPolicy".equals(o.getKind()))
					.toList()),
				of(objects, Service.class), of(objects, Ingress.class), List.of(), null);
	}

	private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	private static String service(String name) {
		return """
				apiVersion: v1
				kind: Service
				metadata: {name: %s, namespace: shop}
				spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
				""".formatted(name);
	}

	private static String route(String name, String created, String match) {
		return """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: %s, namespace: shop%s}
				spec:
				  parentRefs: [{name: web, sectionName: http}]
				  rules:
				  - matches: [%s]
				    backendRefs: [{name: svc, port: 80}]
				""".formatted(name, created == null ? "" : ", creationTimestamp: \"" + created + "\"", match);
	}

}
