package io.meshgate.gateway.kubernetes;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha3.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.admin.api.AdminService;
import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.ServicePods;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.gateway.https.HttpsListener;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.testing.TlsUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateway API and Ingress objects served end to end, against fabric8's mock API server in CRUD
 * mode: the gateway is wired as in a cluster and its Services' pods are real servers on loopback
 * addresses, reached through EndpointSlices as discovery does. One Spring context for all tests;
 * each test uses objects of its own names.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's statics
class KubernetesIngressTest {

	static final String NAMESPACE = "shop";

	static final String IDENTITY = "meshgate-test-0";

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final TestUpstream A;

	static final TestUpstream B;

	static final TestUpstream C;

	static final TestUpstream MIRROR;

	static {
		A = TestUpstream.start("pod-a", "127.0.0.2", 0);
		B = TestUpstream.start("pod-b", "127.0.0.3", 0);
		C = TestUpstream.start("pod-c", "127.0.0.4", 0);
		MIRROR = TestUpstream.start("pod-mirror", "127.0.0.5", 0);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int adminPort;

	@Autowired
	IngressController controller;

	@Autowired
	AdminService admin;

	@Autowired
	HttpsListener https;

	@Autowired
	SeededRandom random;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.demo.enabled", () -> "false");
		properties.add("meshgate.store.path", () -> "target/stores/k8s-ingress-" + java.util.UUID.randomUUID());
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.EDITOR);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.EDITOR_HASH);
		properties.add("meshgate.admin.users[0].roles[0]", () -> "editor");
		API.gatewayProperties(properties, NAMESPACE);
		properties.add("meshgate.https.port", () -> "0");
		properties.add("meshgate.kubernetes.ingress.enabled", () -> "true");
		properties.add("meshgate.kubernetes.ingress.identity", () -> IDENTITY);
		properties.add("meshgate.kubernetes.ingress.addresses[0]", () -> "203.0.113.7");
		properties.add("meshgate.kubernetes.ingress.certificate-directory",
				() -> "target/k8s-tls-" + java.util.UUID.randomUUID());
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: meshgate.io/gateway-controller}
				""", GatewayClass.class);
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: web, namespace: shop}
				spec:
				  gatewayClassName: meshgate
				  listeners: [{name: http, protocol: HTTP, port: 80}]
				""", Gateway.class);
	}

	@AfterAll
	static void stopServers() {
		List.of(A, B, C, MIRROR).forEach(TestUpstream::close);
	}

	@Test
	void weightedBackendRefsSplitTrafficFollowUpdatesAndDeletionGives404() {
		service("split-a", A);
		service("split-b", B);
		service("split-c", C);
		apply(split(7, 2, 1), HTTPRoute.class);
		GatewayClient client = new GatewayClient(port);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> answering(client, "/split/x"),
				Set.of("pod-a", "pod-b", "pod-c")::equals);
		random.reseed(SeededRandom.SEED);

		Map<String, Long> counts = client.bodies(2000, 8, i -> "/split/" + i)
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		// one draw per request: seed 23's first 2,000 draws of nextInt(10) fall 1,401 times on 0-6,
		// 397 on 7-8 and 202 on 9
		assertThat(counts).containsOnly(Map.entry("pod-a", 1_401L), Map.entry("pod-b", 397L), Map.entry("pod-c", 202L));

		apply(split(0, 0, 1), HTTPRoute.class);
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
			.until(() -> answering(client, "/split/x"), Set.of("pod-c")::equals);

		KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("split").delete();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.get("/split/x").statusCode() == 404);
	}

	@Test
	void requestMirrorReachesTheMirrorAndTimeoutsBecomeRoutePolicies() {
		service("mirrored", A);
		service("shadow", MIRROR);
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: mirrored, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /mirrored}}]
				    filters:
				    - type: RequestMirror
				      requestMirror: {backendRef: {name: shadow, port: 80}, percent: 100}
				    backendRefs: [{name: mirrored, port: 80}]
				    timeouts: {request: 3s, backendRequest: 1500ms}
				""", HTTPRoute.class);
		GatewayClient client = new GatewayClient(port);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/mirrored/1").body(),
				"pod-a"::equals);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> MIRROR.received().stream().anyMatch(r -> r.uri().equals("/mirrored/1")));
		var route = admin.snapshot().running().routes().stream()
			.filter(r -> r.id().equals("k8s.httproute.shop.mirrored.0.0.0"))
			.findFirst()
			.orElseThrow();
		assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(route.retries().perTryTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(route.mirrors()).singleElement().satisfies(m -> assertThat(m.percentage()).isEqualTo(100.0));
	}

	@Test
	void headerQueryMethodAndPathTypeMatchesInSpecificationOrder() {
		service("match-a", A);
		service("match-b", B);
		service("match-c", C);
		service("match-d", MIRROR);
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: matches, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /match}, queryParams: [{name: v, value: "2"}]}]
				    backendRefs: [{name: match-c, port: 80}]
				  - matches: [{path: {type: PathPrefix, value: /match}, method: DELETE}]
				    backendRefs: [{name: match-d, port: 80}]
				  - matches: [{path: {type: PathPrefix, value: /match}, headers: [{name: x-team, value: blue}]}]
				    backendRefs: [{name: match-b, port: 80}]
				  - matches: [{path: {type: Exact, value: /match/exact}}]
				    backendRefs: [{name: match-a, port: 80}]
				""", HTTPRoute.class);
		GatewayClient client = new GatewayClient(port);
		// every backend's endpoints are known, not only the first's: each Service's slices arrive on their own
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/match/exact").body(),
				"pod-a"::equals);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/match/x?v=2").body(),
				"pod-c"::equals);

		assertThat(client.get("/match/exact/more").statusCode()).isEqualTo(404);
		assertThat(client.get("/match/x", Map.of("x-team", "blue")).body()).isEqualTo("pod-b");
		assertThat(client.get("/match/x", Map.of("x-team", "bluer")).statusCode()).isEqualTo(404);
		assertThat(client.get("/match/x?v=2").body()).isEqualTo("pod-c");
		assertThat(request("DELETE", "/match/x").body()).isEqualTo("pod-mirror");
		// exact path beats a header match; a header match beats a query match
		assertThat(client.get("/match/exact", Map.of("x-team", "blue")).body()).isEqualTo("pod-a");
		assertThat(client.get("/match/x?v=2", Map.of("x-team", "blue")).body()).isEqualTo("pod-b");
	}

	@Test
	void urlRewriteAndRequestRedirectBehaveAsSpecified() {
		service("rewritten", C);
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: rewrites, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /old}}]
				    filters:
				    - {type: URLRewrite, urlRewrite: {hostname: new.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}
				    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-rewritten, value: "yes"}]}}
				    backendRefs: [{name: rewritten, port: 80}]
				  - matches: [{path: {type: RegularExpression, value: "/moved/[0-9]+"}}]
				    filters:
				    - {type: RequestRedirect, requestRedirect: {scheme: https, hostname: shop.example, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /here}}}
				""", HTTPRoute.class);
		GatewayClient client = new GatewayClient(port);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/old/items?q=1").body(),
				"pod-c"::equals);

		TestUpstream.Received received = C.received().stream().filter(r -> r.uri().startsWith("/new")).reduce((a, b) -> b)
			.orElseThrow();
		assertThat(received.uri()).isEqualTo("/new/items?q=1");
		assertThat(received.headers()).containsEntry("host", "new.internal").containsEntry("x-rewritten", "yes");

		HttpResponse<String> redirect = client.get("/moved/42?x=y");
		assertThat(redirect.statusCode()).isEqualTo(301);
		assertThat(redirect.headers().firstValue("Location")).hasValue("https://shop.example/here?x=y");
		assertThat(client.get("/moved/abc").statusCode()).isEqualTo(404);
	}

	@Test
	void backendTlsPolicyAndClientCertificateSecretGiveMutualTlsToTheUpstream() throws Exception {
		TestPki pki = TestPki.create("Upstream Test CA");
		try (TlsUpstream upstream = TlsUpstream.start(
				pki.issue("secure", List.of("dns:secure.shop.svc.cluster.local", "ip:127.0.0.1")), pki.ca())) {
			tlsService("secure", pki, upstream);
			apply("""
					apiVersion: gateway.networking.k8s.io/v1alpha3
					kind: BackendTLSPolicy
					metadata: {name: secure-tls, namespace: shop}
					spec:
					  targetRefs: [{group: "", kind: Service, name: secure}]
					  validation:
					    caCertificateRefs: [{group: "", kind: ConfigMap, name: secure-ca}]
					    hostname: secure.shop.svc.cluster.local
					""", BackendTLSPolicy.class);
			apply(prefixRoute("secure", "/secure", "secure"), HTTPRoute.class);
			GatewayClient client = new GatewayClient(this.port);

			// the upstream answers with the client certificate's subject: verified both ways
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/secure/1").body(),
					"CN=meshgate-client"::equals);
		}
	}

	@Test
	void backendTlsPolicyV1ChecksTheSubjectAltNamesInsteadOfTheHostname() throws Exception {
		TestPki pki = TestPki.create("SAN Test CA");
		// the certificate carries the SPIFFE ID only: the hostname alone would not verify
		try (TlsUpstream upstream = TlsUpstream.start(
				pki.issue("san", List.of("uri:spiffe://cluster.local/ns/shop/sa/san")), pki.ca())) {
			tlsService("san", pki, upstream);
			String policy = """
					apiVersion: gateway.networking.k8s.io/v1
					kind: BackendTLSPolicy
					metadata: {name: san-tls, namespace: shop}
					spec:
					  targetRefs: [{group: "", kind: Service, name: san}]
					  validation:
					    caCertificateRefs: [{group: "", kind: ConfigMap, name: san-ca}]
					    hostname: san.shop.svc.cluster.local
					    subjectAltNames: [{type: Hostname, hostname: other.example}, {type: URI, uri: "%s"}]
					""";
			applyBackendTlsPolicyV1(policy.formatted("spiffe://cluster.local/ns/shop/sa/san"));
			apply(prefixRoute("san", "/san", "san"), HTTPRoute.class);
			GatewayClient client = new GatewayClient(this.port);
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/san/1").body(),
					"CN=meshgate-client"::equals);

			// a SAN the certificate does not carry: the handshake is refused
			applyBackendTlsPolicyV1(policy.formatted("spiffe://cluster.local/ns/shop/sa/other"));
			await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/san/1").statusCode(), status -> status >= 500);
		}
	}

	@Test
	void gatewayBackendClientCertificateIsPresentedToBackendsItsBackendTlsPolicyGivesTls() throws Exception {
		TestPki pki = TestPki.create("Gateway Backend CA");
		try (TlsUpstream upstream = TlsUpstream.start(pki.issue("gwcert", List.of("dns:gwcert.shop.svc.cluster.local")),
				pki.ca())) {
			tlsService("gwcert", pki, upstream, false);
			apply("""
					apiVersion: gateway.networking.k8s.io/v1
					kind: Gateway
					metadata: {name: backend-mtls, namespace: shop}
					spec:
					  gatewayClassName: meshgate
					  listeners: [{name: http, protocol: HTTP, port: 80}]
					  tls: {backend: {clientCertificateRef: {group: "", kind: Secret, name: gwcert-client}}}
					""", Gateway.class);
			applyBackendTlsPolicyV1("""
					apiVersion: gateway.networking.k8s.io/v1
					kind: BackendTLSPolicy
					metadata: {name: gwcert-tls, namespace: shop}
					spec:
					  targetRefs: [{group: "", kind: Service, name: gwcert}]
					  validation:
					    caCertificateRefs: [{group: "", kind: ConfigMap, name: gwcert-ca}]
					    hostname: gwcert.shop.svc.cluster.local
					""");
			apply("""
					apiVersion: gateway.networking.k8s.io/v1
					kind: HTTPRoute
					metadata: {name: gwcert, namespace: shop}
					spec:
					  parentRefs: [{name: backend-mtls}]
					  rules:
					  - matches: [{path: {type: PathPrefix, value: /gwcert}}]
					    backendRefs: [{name: gwcert, port: 80}]
					""", HTTPRoute.class);
			GatewayClient client = new GatewayClient(this.port);

			// the upstream requires a client certificate and answers with its subject
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/gwcert/1").body(),
					"CN=meshgate-client"::equals);
		}
	}

	/**
	 * A Service {@code name} whose pod is {@code upstream}, the ConfigMap {@code name-ca} with the
	 * test CA, and the gateway's client certificate Secret {@code name-client} it annotates.
	 */
	private static void tlsService(String name, TestPki pki, TlsUpstream upstream) throws Exception {
		tlsService(name, pki, upstream, true);
	}

	/** As above; {@code annotated} false: the Service does not name the Secret. */
	private static void tlsService(String name, TestPki pki, TlsUpstream upstream, boolean annotated) throws Exception {
		Path dir = Files.createTempDirectory("upstream-tls");
		pki.issue("meshgate-client", List.of("dns:meshgate.meshgate.svc")).write(dir, "client");
		KUBE.resource(new ConfigMapBuilder().withNewMetadata()
			.withName(name + "-ca")
			.withNamespace(NAMESPACE)
			.endMetadata()
			.addToData("ca.crt", Files.readString(pki.writeCa(dir)))
			.build()).createOr(NonDeletingOperation::update);
		KUBE.resource(new SecretBuilder().withNewMetadata()
			.withName(name + "-client")
			.withNamespace(NAMESPACE)
			.endMetadata()
			.withType("kubernetes.io/tls")
			.addToData("tls.crt", base64(Files.readString(dir.resolve("client.crt"))))
			.addToData("tls.key", base64(Files.readString(dir.resolve("client.key"))))
			.build()).createOr(NonDeletingOperation::update);
		service(name, "127.0.0.1", URI.create(upstream.httpsUrl()).getPort(),
				annotated ? Map.of("meshgate.io/client-certificate-secret", name + "-client") : Map.of());
	}

	@Test
	void missingServiceIsBackendNotFoundUntilItAppears() {
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: late, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /late}}]
				    backendRefs: [{name: late, port: 80}]
				""", HTTPRoute.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> condition("late", "ResolvedRefs"),
				c -> c != null && c.getStatus().equals("False") && c.getReason().equals("BackendNotFound"));
		Condition accepted = condition("late", "Accepted");
		assertThat(accepted.getStatus()).isEqualTo("True");
		RouteParentStatus parent = route("late").getStatus().getParents().get(0);
		assertThat(parent.getControllerName()).isEqualTo("meshgate.io/gateway-controller");
		assertThat(parent.getParentRef().getName()).isEqualTo("web");
		assertThat(accepted.getLastTransitionTime()).isNotBlank();
		assertThat(accepted.getObservedGeneration()).isEqualTo(route("late").getMetadata().getGeneration());
		GatewayClient client = new GatewayClient(port);
		assertThat(client.get("/late/1").statusCode()).isEqualTo(500);

		service("late", B);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/late/1").body(), "pod-b"::equals);
		await().atMost(Duration.ofSeconds(10)).until(() -> condition("late", "ResolvedRefs").getStatus(), "True"::equals);
	}

	@Test
	void unsupportedFilterAndInvalidAnnotationAreNotAccepted() {
		service("odd", A);
		apply("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata:
				  name: odd
				  namespace: shop
				  annotations: {meshgate.io/retries: "{attempts: 99}"}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /odd}}]
				    backendRefs: [{name: odd, port: 80}]
				""", HTTPRoute.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> condition("odd", "Accepted"),
				c -> c != null && c.getStatus().equals("False") && c.getReason().equals("UnsupportedValue"));
		assertThat(condition("odd", "Accepted").getMessage()).contains("attempts: 99 (expected: 0-10)");
		assertThat(new GatewayClient(port).get("/odd/1").statusCode()).isEqualTo(404);

		// attached to another controller's Gateway instead (a patch of the spec, as kubectl edit does: the
		// status stays): Meshgate removes its own entry
		KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName("odd").edit(r -> {
			r.getSpec().getParentRefs().get(0).setName("someone-elses");
			return r;
		});
		assertThat(route("odd").getStatus().getParents()).isNotEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> route("odd").getStatus().getParents(), List::isEmpty);
	}

	@Test
	void moreSpecificPathWinsBetweenTwoRoutesForTheSameHost() {
		service("catalog-all", A);
		service("catalog-items", B);
		apply(prefixRoute("catalog-all", "/catalog", "catalog-all"), HTTPRoute.class);
		apply(prefixRoute("catalog-items", "/catalog/items", "catalog-items"), HTTPRoute.class);
		GatewayClient client = new GatewayClient(port);

		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/catalog/items/1").body(),
				"pod-b"::equals);
		assertThat(client.get("/catalog/other").body()).isEqualTo("pod-a");
		assertThat(client.get("/catalog/items").body()).isEqualTo("pod-b");
	}

	@Test
	void ingressOfMeshgateClassIsServedPerHostOverHttpsAndAnotherClassIsIgnored() throws Exception {
		service("shop-web", A);
		service("shop-api", B);
		TestPki pki = TestPki.create("Ingress Test CA");
		Path dir = Files.createTempDirectory("ingress-tls");
		pki.issue("storefront", List.of("dns:www.example.com", "dns:api.example.com", "ip:127.0.0.1")).write(dir, "tls");
		KUBE.resource(new SecretBuilder().withNewMetadata()
			.withName("storefront-tls")
			.withNamespace(NAMESPACE)
			.endMetadata()
			.withType("kubernetes.io/tls")
			.addToData("tls.crt", base64(Files.readString(dir.resolve("tls.crt"))))
			.addToData("tls.key", base64(Files.readString(dir.resolve("tls.key"))))
			.build()).createOr(NonDeletingOperation::update);
		apply("""
				apiVersion: networking.k8s.io/v1
				kind: Ingress
				metadata: {name: storefront, namespace: shop}
				spec:
				  ingressClassName: meshgate
				  tls: [{hosts: [www.example.com, api.example.com], secretName: storefront-tls}]
				  rules:
				  - host: www.example.com
				    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop-web, port: {number: 80}}}}]}
				  - host: api.example.com
				    http: {paths: [{path: /v1, pathType: Prefix, backend: {service: {name: shop-api, port: {name: http}}}}]}
				""", Ingress.class);
		apply("""
				apiVersion: networking.k8s.io/v1
				kind: Ingress
				metadata: {name: elsewhere, namespace: shop}
				spec:
				  ingressClassName: nginx
				  rules:
				  - host: other.example.com
				    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop-web, port: {number: 80}}}}]}
				""", Ingress.class);

		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get("www.example.com", "/").body(),
				"pod-a"::equals);
		assertThat(get("api.example.com", "/v1/orders").body()).isEqualTo("pod-b");
		assertThat(get("api.example.com", "/v2/orders").status()).isEqualTo(404);
		assertThat(get("other.example.com", "/").status()).isEqualTo(404);

		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> secure(pki, "www.example.com", "/").body(),
				"pod-a"::equals);
		Answer api = secure(pki, "api.example.com", "/v1/orders");
		assertThat(api.body()).isEqualTo("pod-b");
		assertThat(api.served()).isEqualTo("CN=storefront");
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress("storefront").getStatus(),
				s -> s != null && s.getLoadBalancer() != null && s.getLoadBalancer().getIngress() != null
						&& s.getLoadBalancer().getIngress().size() == 1
						&& "203.0.113.7".equals(s.getLoadBalancer().getIngress().get(0).getIp()));
		Ingress ignored = ingress("elsewhere");
		assertThat(ignored.getStatus() == null || ignored.getStatus().getLoadBalancer() == null
				|| ignored.getStatus().getLoadBalancer().getIngress() == null
				|| ignored.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
	}

	@Test
	void gatewayAndClassStatusWrittenByTheLeaseHolderOnly() {
		await().atMost(Duration.ofSeconds(20)).until(controller::leader);
		Lease lease = KUBE.leases().inNamespace(NAMESPACE).withName("meshgate-ingress-status").get();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(IDENTITY);

		await().atMost(Duration.ofSeconds(10)).until(() -> KUBE.resources(Gateway.class).inNamespace(NAMESPACE)
			.withName("web").get().getStatus(), s -> s != null && s.getAddresses() != null && !s.getAddresses().isEmpty());
		Gateway gateway = KUBE.resources(Gateway.class).inNamespace(NAMESPACE).withName("web").get();
		assertThat(gateway.getStatus().getAddresses().get(0).getValue()).isEqualTo("203.0.113.7");
		assertThat(gateway.getStatus().getConditions()).extracting(Condition::getType, Condition::getStatus)
			.contains(org.assertj.core.groups.Tuple.tuple("Accepted", "True"),
					org.assertj.core.groups.Tuple.tuple("Programmed", "True"));
		assertThat(gateway.getStatus().getListeners()).singleElement().satisfies(l -> assertThat(l.getName()).isEqualTo("http"));
		// written once: the watch event of its own write finds nothing to change (no write loop)
		String version = gateway.getMetadata().getResourceVersion();
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> KUBE.resources(Gateway.class)
			.inNamespace(NAMESPACE).withName("web").get().getMetadata().getResourceVersion(), version::equals);
		GatewayClass gatewayClass = KUBE.resources(GatewayClass.class).withName("meshgate").get();
		assertThat(gatewayClass.getStatus().getConditions()).extracting(Condition::getType, Condition::getStatus)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("Accepted", "True"));

		// a second replica on the same Lease serves but does not write
		IngressController second = new IngressController(KUBE, admin, null, new IngressControllerProperties(true, null, null, null,
				null, List.of("198.51.100.9"), null, null, NAMESPACE, "meshgate-test-1", null), io.meshgate.gateway.listeners.ServedPorts.DEFAULT,
				new io.meshgate.gateway.kubernetes.rollout.HttpRouteRollouts(KUBE, NAMESPACE, 50, Clock.systemUTC()), Clock.systemUTC());
		second.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> second.last() != null);
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !second.leader());
			// it would write 198.51.100.9 if it wrote at all
			Gateway after = KUBE.resources(Gateway.class).inNamespace(NAMESPACE).withName("web").get();
			assertThat(after.getStatus().getAddresses().get(0).getValue()).isEqualTo("203.0.113.7");
			assertThat(after.getMetadata().getResourceVersion()).isEqualTo(version);
		}
		finally {
			second.stop();
		}
	}

	@Test
	void kubernetesRoutesShowReadOnlyInTheAdminApiAndRefuseEdits() throws Exception {
		service("owned", A);
		apply(prefixRoute("owned", "/owned", "owned"), HTTPRoute.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> admin.overlays().stream().anyMatch(o -> o.source().equals("kubernetes") && o.config().routes()
				.stream().anyMatch(r -> r.id().equals("k8s.httproute.shop.owned.0.0.0"))));
		AdminClient editor = AdminClient.basic(adminPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD);
		AdminClient.Answer routes = editor.get("/api/routes");
		assertThat(routes.body()).contains("k8s.httproute.shop.owned.0.0.0").contains("\"source\":\"kubernetes\"");

		AdminClient.Answer edit = editor.put("/api/routes/k8s.httproute.shop.owned.0.0.0",
				"{\"id\":\"k8s.httproute.shop.owned.0.0.0\",\"match\":{\"path\":\"/x/**\"},"
						+ "\"backends\":[{\"upstream\":\"k8s-shop-owned-80\"}]}", null);
		assertThat(edit.status()).isEqualTo(400);
		assertThat(edit.body()).contains("kubernetes").contains("read-only");

		AdminClient.Answer mesh = editor.get("/actuator/mesh");
		assertThat(mesh.body()).contains("\"owner\":\"kubernetes\"");
	}

	// --- helpers

	private static String split(int a, int b, int c) {
		return """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: split, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: /split}}]
				    backendRefs:
				    - {name: split-a, port: 80, weight: %d}
				    - {name: split-b, port: 80, weight: %d}
				    - {name: split-c, port: 80, weight: %d}
				""".formatted(a, b, c);
	}

	private static String prefixRoute(String name, String prefix, String service) {
		return """
				apiVersion: gateway.networking.k8s.io/v1
				kind: HTTPRoute
				metadata: {name: %s, namespace: shop}
				spec:
				  parentRefs: [{name: web}]
				  rules:
				  - matches: [{path: {type: PathPrefix, value: %s}}]
				    backendRefs: [{name: %s, port: 80}]
				""".formatted(name, prefix, service);
	}

	/** Applies a BackendTLSPolicy {@code v1}, which the client's model lacks. */
	private static void applyBackendTlsPolicyV1(String yaml) {
		KUBE.genericKubernetesResources(BackendTlsPolicies.V1)
			.inNamespace(NAMESPACE)
			.resource(KUBE.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class))
			.createOr(NonDeletingOperation::update);
	}

	private static <T extends HasMetadata> void apply(String yaml, Class<T> type) {
		T object = KUBE.getKubernetesSerialization().unmarshal(yaml, type);
		KUBE.resource(object).createOr(NonDeletingOperation::update);
	}

	/** A Service with port 80 ("http") whose one pod is {@code pod}, and its EndpointSlice. */
	private static void service(String name, TestUpstream pod) {
		service(name, pod.host(), pod.port(), Map.of());
	}

	private static void service(String name, String host, int podPort, Map<String, String> annotations) {
		ServicePods.apply(KUBE, NAMESPACE, name, "http", 80, host, podPort, annotations);
	}

	private static HTTPRoute route(String name) {
		return KUBE.resources(HTTPRoute.class).inNamespace(NAMESPACE).withName(name).get();
	}

	private static Ingress ingress(String name) {
		return KUBE.network().v1().ingresses().inNamespace(NAMESPACE).withName(name).get();
	}

	private static Condition condition(String route, String type) {
		HTTPRoute object = route(route);
		if (object == null || object.getStatus() == null || object.getStatus().getParents() == null
				|| object.getStatus().getParents().isEmpty()) {
			return null;
		}
		return object.getStatus().getParents().get(0).getConditions().stream()
			.filter(c -> c.getType().equals(type))
			.findFirst()
			.orElse(null);
	}

	private static Set<String> answering(GatewayClient client, String path) {
		return client.bodies(30, 3, i -> path).stream().collect(Collectors.toSet());
	}

	/** An answer, with the subject of the certificate the server presented over HTTPS. */
	record Answer(int status, String body, String served) {

	}

	/** A GET with the given Host header (the JDK client does not let one set it). */
	private Answer get(String host, String path) {
		return send(host, "GET", path);
	}

	private Answer request(String method, String path) {
		return send("127.0.0.1", method, path);
	}

	private Answer send(String host, String method, String path) {
		return reactor.netty.http.client.HttpClient.create()
			.headers(h -> h.set("Host", host))
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
			.uri("http://127.0.0.1:" + port + path)
			.responseSingle((HttpClientResponse response, reactor.netty.ByteBufMono body) -> body.asString()
				.defaultIfEmpty("")
				.map(text -> new Answer(response.status().code(), text, null)))
			.block(Duration.ofSeconds(10));
	}

	/** A GET over the HTTPS listener with {@code host} as SNI name and Host header, trusting only {@code pki}'s CA. */
	private Answer secure(TestPki pki, String host, String path) throws Exception {
		io.netty.handler.ssl.SslContext context = io.netty.handler.ssl.SslContextBuilder.forClient()
			.trustManager(pki.ca())
			.build();
		java.util.concurrent.atomic.AtomicReference<String> served = new java.util.concurrent.atomic.AtomicReference<>();
		return reactor.netty.http.client.HttpClient.create()
			.secure(spec -> spec.sslContext(context).handlerConfigurator(handler -> {
				javax.net.ssl.SSLParameters parameters = handler.engine().getSSLParameters();
				parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
				handler.engine().setSSLParameters(parameters);
			}))
			.doOnConnected(connection -> connection.channel()
				.pipeline()
				.get(io.netty.handler.ssl.SslHandler.class)
				.handshakeFuture()
				.addListener(done -> {
					if (done.isSuccess()) {
						served.set(((java.security.cert.X509Certificate) connection.channel().pipeline()
							.get(io.netty.handler.ssl.SslHandler.class).engine().getSession().getPeerCertificates()[0])
							.getSubjectX500Principal().getName());
					}
				}))
			.headers(h -> h.set("Host", host))
			.get()
			.uri("https://127.0.0.1:" + https.port() + path)
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map(text -> new Answer(response.status().code(), text, served.get())))
			.block(Duration.ofSeconds(10));
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

}
