package io.meshgate.gateway.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.https.HttpsListener;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cross-namespace references, namespace selection and unusable certificates beyond what the
 * Gateway API conformance tests check ({@code conformance/GatewayHttpConformanceTest} runs those):
 * objects followed live (a ReferenceGrant deleted or created, a Namespace relabelled), the
 * certificate a real handshake is served, and {@code Programmed} of listeners that cannot serve.
 * Driven by the manifests of the conformance tests they extend (in {@code kubernetes/references/},
 * with the Namespaces, Gateways and Services of the base manifests) against fabric8's mock API
 * server in CRUD mode, the backends' pods being servers on loopback.
 *
 * <p>What the mock API server needs, a real one does by itself: a Namespace gets the label
 * {@code kubernetes.io/metadata.name}; {@code v1beta1} Gateways and HTTPRoutes are written as
 * {@code v1} (a real API server serves one object under both versions, the mock keeps versions
 * apart); the Services' pods come as EndpointSlices. Every Gateway of the class shares Meshgate's
 * listeners, so each test deletes its own objects before the next one runs.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its informers watch the mock API server, which lives only as long as this class's statics
class GatewayApiReferencesTest {

	static final String INFRA = "gateway-conformance-infra";

	static final String WEB_BACKEND = "gateway-conformance-web-backend";

	static final String APP_BACKEND = "gateway-conformance-app-backend";

	static final Duration STATUS = Duration.ofSeconds(20);

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	static final KubernetesClient KUBE = API.client();

	static final TestUpstream WEB = TestUpstream.start("web-backend", "127.0.0.2", 0);

	static final TestUpstream APP_V1 = TestUpstream.start("app-backend-v1", "127.0.0.3", 0);

	static final TestUpstream APP_V2 = TestUpstream.start("app-backend-v2", "127.0.0.4", 0);

	static final TestPki PKI = TestPki.create("References Test CA");

	@LocalServerPort
	int port;

	@Autowired
	HttpsListener https;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.demo.enabled", () -> "false");
		properties.add("meshgate.store.path", () -> "target/stores/k8s-references-" + java.util.UUID.randomUUID());
		properties.add("meshgate.admin.users[0].name", () -> TestUsers.EDITOR);
		properties.add("meshgate.admin.users[0].password", () -> TestUsers.EDITOR_HASH);
		properties.add("meshgate.admin.users[0].roles[0]", () -> "editor");
		API.gatewayProperties(properties, INFRA);
		properties.add("meshgate.https.port", () -> "0");
		properties.add("meshgate.kubernetes.ingress.enabled", () -> "true");
		properties.add("meshgate.kubernetes.ingress.identity", () -> "meshgate-references-0");
		properties.add("meshgate.kubernetes.ingress.addresses[0]", () -> "203.0.113.9");
		properties.add("meshgate.kubernetes.ingress.certificate-directory",
				() -> "target/k8s-tls-" + java.util.UUID.randomUUID());
		apply(KUBE.getKubernetesSerialization().unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: GatewayClass
				metadata: {name: meshgate}
				spec: {controllerName: meshgate.io/gateway-controller}
				""", GatewayClass.class));
		manifests("base").forEach(GatewayApiReferencesTest::apply);
		pods("web-backend", WEB_BACKEND, WEB);
		pods("app-backend-v1", APP_BACKEND, APP_V1);
		pods("app-backend-v2", APP_BACKEND, APP_V2);
		// what the conformance suite creates itself: the certificates the Gateways refer to
		tlsSecret(WEB_BACKEND, "certificate", "certificate");
		tlsSecret(INFRA, "tls-validity-checks-certificate", "tls-validity-checks");
	}

	@AfterAll
	static void stopServers() {
		List.of(WEB, APP_V1, APP_V2).forEach(TestUpstream::close);
	}

	// --- ReferenceGrant: HTTPRoute → Service

	@Test
	void aDeletedGrantRefusesTheBackendAndAV1GrantRestoresIt() throws Exception {
		withObjects("httproute-reference-grant", () -> {
			GatewayClient client = new GatewayClient(port);
			awaitRouteCondition("reference-grant", "Accepted", "True", "Accepted");
			awaitRouteCondition("reference-grant", "ResolvedRefs", "True", "ResolvedRefs");
			await().atMost(STATUS).ignoreExceptions().until(() -> client.get("/").body(), "web-backend"::equals);

			// the grant deleted: the reference is refused, live
			KUBE.resources(ReferenceGrant.class).inNamespace(WEB_BACKEND).withName("reference-grant").delete();
			awaitRouteCondition("reference-grant", "ResolvedRefs", "False", "RefNotPermitted");
			await().atMost(STATUS).until(() -> client.get("/").statusCode() != 200);
			int hits = WEB.hits();
			assertThat(client.get("/").body()).isNotEqualTo("web-backend");
			assertThat(WEB.hits()).isEqualTo(hits);

			// the same grant as ReferenceGrant v1 (which the client's model lacks) permits it again
			KUBE.genericKubernetesResources(ReferenceGrants.V1).inNamespace(WEB_BACKEND).resource(v1Grant()).create();
			try {
				awaitRouteCondition("reference-grant", "ResolvedRefs", "True", "ResolvedRefs");
				await().atMost(STATUS).ignoreExceptions().until(() -> client.get("/").body(), "web-backend"::equals);
			}
			finally {
				KUBE.genericKubernetesResources(ReferenceGrants.V1).inNamespace(WEB_BACKEND).withName("reference-grant").delete();
			}
		});
	}




	// --- ReferenceGrant: Gateway → Secret, and certificates that cannot be used

	@Test
	void aGrantedSecretIsServedUntilItsGrantIsDeleted() throws Exception {
		withObjects("gateway-secret-reference-grant-specific", () -> {
			String gateway = "gateway-secret-reference-grant-specific";
			awaitListener(gateway, "https", 0, "Programmed=True/Programmed", "ResolvedRefs=True");
			// the granted Secret of the other namespace is served: a real handshake presents it
			await().atMost(STATUS).until(() -> "CN=certificate".equals(served("any.example.com")));

			// the grant deleted: refused, not programmed, and no longer served
			KUBE.resources(ReferenceGrant.class).inNamespace(WEB_BACKEND).withName("reference-grant-specific").delete();
			awaitListener(gateway, "https", 0, "Programmed=False/Invalid", "ResolvedRefs=False/RefNotPermitted");
			await().atMost(STATUS).until(() -> served("any.example.com") == null);
		});
	}


	@Test
	void aSecretWithoutAGrantIsNeitherProgrammedNorServed() throws Exception {
		assertSecretRefNotPermitted("gateway-secret-missing-reference-grant");
	}

	@Test
	void aSecretWithAGrantForAnotherNamespaceIsNeitherProgrammedNorServed() throws Exception {
		assertSecretRefNotPermitted("gateway-secret-invalid-reference-grant");
	}

	/** The manifest's Gateway (of the same name) refers to a Secret no grant permits: refused, and no certificate served. */
	private void assertSecretRefNotPermitted(String manifest) throws Exception {
		withObjects(manifest, () -> {
			awaitListener(manifest, "https", 0, "ResolvedRefs=False/RefNotPermitted", "Programmed=False/Invalid");
			assertThat(served("any.example.com")).isNull();
		});
	}

	@Test
	void unusableCertificatesLeaveTheirListenersUnprogrammed() throws Exception {
		withObjects("gateway-invalid-tls-configuration", () -> {
			for (String gateway : List.of("gateway-certificate-nonexistent-secret", "gateway-certificate-unsupported-group",
					"gateway-certificate-unsupported-kind", "gateway-certificate-malformed-secret")) {
				awaitListener(gateway, "https", 0, "ResolvedRefs=False/InvalidCertificateRef", "Programmed=False/Invalid");
				Gateway object = gateway(gateway);
				assertThat(object.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
					.as(gateway)
					.contains("Accepted=True/ListenersNotValid", "Programmed=False/Invalid");
			}
		});
	}

	// --- allowedRoutes.namespaces.from: Selector

	@Test
	void aListenerWithoutItsSecretCountsItsRoutesButIsNotProgrammed() throws Exception {
		withObjects("gateway-with-attached-routes", () -> {
			awaitListener("gateway-with-one-attached-route", "http", 1, "Accepted=True", "ResolvedRefs=True");
			awaitListener("gateway-with-two-attached-routes", "http", 2, "Accepted=True", "ResolvedRefs=True");
			// an HTTPS listener whose Secret does not exist still counts its routes, but is not programmed
			awaitListener("unresolved-gateway-with-one-attached-unresolved-route", "tls", 1, "Programmed=False",
					"ResolvedRefs=False/InvalidCertificateRef");
			awaitRouteCondition("http-route-4", "ResolvedRefs", "False", null);
		});
	}

	@Test
	void relabellingANamespaceDetachesAndReattachesItsRoutes() throws Exception {
		withObjects("httproute-cross-namespace", () -> {
			GatewayClient client = new GatewayClient(port);
			awaitRouteCondition(WEB_BACKEND, "cross-namespace", "Accepted", "True", "Accepted");
			awaitRouteCondition(WEB_BACKEND, "cross-namespace", "ResolvedRefs", "True", "ResolvedRefs");
			await().atMost(STATUS).ignoreExceptions().until(() -> client.get("/").body(), "web-backend"::equals);

			// the namespace no longer carries the label the listener selects: the route is detached, live
			label(WEB_BACKEND, "gateway-conformance", "elsewhere");
			try {
				awaitRouteCondition(WEB_BACKEND, "cross-namespace", "Accepted", "False", "NotAllowedByListeners");
				await().atMost(STATUS).until(() -> client.get("/").statusCode() == 404);
				awaitListener("backend-namespaces", "http", 0, "Accepted=True");
			}
			finally {
				label(WEB_BACKEND, "gateway-conformance", "backend");
			}
			awaitRouteCondition(WEB_BACKEND, "cross-namespace", "Accepted", "True", "Accepted");
			await().atMost(STATUS).ignoreExceptions().until(() -> client.get("/").body(), "web-backend"::equals);
			awaitListener("backend-namespaces", "http", 1, "Accepted=True");
		});
	}

	// --- helpers

	/** What a test does while its manifest's objects exist. */
	@FunctionalInterface
	interface Check {

		void run() throws Exception;

	}

	/** Applies the manifest's objects, runs {@code check}, and deletes them (every Gateway shares the listeners). */
	static void withObjects(String manifest, Check check) throws Exception {
		List<HasMetadata> objects = manifests(manifest);
		try {
			objects.forEach(GatewayApiReferencesTest::apply);
			check.run();
		}
		finally {
			delete(objects);
		}
	}

	/** The objects of a manifest of {@code kubernetes/references/}, as the mock API server should get them. */
	static List<HasMetadata> manifests(String name) {
		String text;
		try (InputStream in = GatewayApiReferencesTest.class.getResourceAsStream("/kubernetes/references/" + name + ".yaml")) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		text = text.replace("{GATEWAY_CLASS_NAME}", "meshgate")
			.replace("apiVersion: gateway.networking.k8s.io/v1beta1\nkind: Gateway\n",
					"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n")
			.replace("apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\n",
					"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n");
		List<HasMetadata> objects = new ArrayList<>();
		for (String document : text.split("(?m)^---\\s*$")) {
			if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
				HasMetadata object = KUBE.getKubernetesSerialization().unmarshal(document);
				if (object instanceof Namespace namespace) {
					namespace.getMetadata().getLabels().put("kubernetes.io/metadata.name", namespace.getMetadata().getName());
				}
				objects.add(object);
			}
		}
		return objects;
	}

	static void apply(HasMetadata object) {
		KUBE.resource(object).createOr(NonDeletingOperation::update);
	}

	static void delete(List<HasMetadata> objects) {
		objects.forEach(object -> KUBE.resource(object).delete());
	}

	/** The Service's one pod: {@code upstream}, as the EndpointSlice of its unnamed port. */
	static void pods(String service, String namespace, TestUpstream upstream) {
		apply(new EndpointSliceBuilder().withNewMetadata()
			.withName(service + "-abcde")
			.withNamespace(namespace)
			.withLabels(Map.of("kubernetes.io/service-name", service))
			.endMetadata()
			.withAddressType("IPv4")
			.addNewPort()
			.withPort(upstream.port())
			.withProtocol("TCP")
			.endPort()
			.withEndpoints(new EndpointBuilder().withAddresses(upstream.host())
				.withNewConditions()
				.withReady(true)
				.endConditions()
				.withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(service + "-pod").withNamespace(namespace).build())
				.build())
			.build());
	}

	/** A {@code kubernetes.io/tls} Secret with a certificate {@code CN=commonName} of the test CA. */
	static void tlsSecret(String namespace, String name, String commonName) {
		try {
			Path dir = Files.createTempDirectory("references-tls");
			PKI.issue(commonName, List.of("dns:any.example.com")).write(dir, "tls");
			apply(new SecretBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(namespace)
				.endMetadata()
				.withType("kubernetes.io/tls")
				.addToData("tls.crt", base64(Files.readString(dir.resolve("tls.crt"))))
				.addToData("tls.key", base64(Files.readString(dir.resolve("tls.key"))))
				.build());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static GenericKubernetesResource v1Grant() {
		return KUBE.getKubernetesSerialization().unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: ReferenceGrant
				metadata: {name: reference-grant, namespace: gateway-conformance-web-backend}
				spec:
				  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
				  to: [{group: "", kind: Service, name: web-backend}]
				""", GenericKubernetesResource.class);
	}

	static void label(String namespace, String key, String value) {
		KUBE.namespaces().withName(namespace).edit(n -> {
			Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels());
			labels.put(key, value);
			n.getMetadata().setLabels(labels);
			return n;
		});
	}

	static Gateway gateway(String name) {
		return KUBE.resources(Gateway.class).inNamespace(INFRA).withName(name).get();
	}

	/**
	 * Waits until the Gateway's only listener is {@code name} with {@code attachedRoutes}, HTTPRoute
	 * among its supported kinds, and conditions {@code Type=Status} or {@code Type=Status/Reason}, as
	 * the upstream test's {@code GatewayStatusMustHaveListeners} checks.
	 */
	static void awaitListener(String gateway, String name, int attachedRoutes, String... conditions) {
		await().atMost(STATUS).until(() -> {
			Gateway object = gateway(gateway);
			if (object == null || object.getStatus() == null || object.getStatus().getListeners() == null
					|| object.getStatus().getListeners().size() != 1) {
				return false;
			}
			ListenerStatus listener = object.getStatus().getListeners().get(0);
			return listener.getName().equals(name) && listener.getAttachedRoutes() == attachedRoutes
					&& listener.getSupportedKinds().contains(new RouteGroupKind("gateway.networking.k8s.io", "HTTPRoute"))
					&& List.of(conditions).stream().allMatch(expected -> has(listener.getConditions(), expected));
		});
	}

	private static boolean has(List<Condition> conditions, String expected) {
		String[] typeAndRest = expected.split("=");
		String[] statusAndReason = typeAndRest[1].split("/");
		return conditions.stream()
			.anyMatch(c -> c.getType().equals(typeAndRest[0]) && c.getStatus().equals(statusAndReason[0])
					&& (statusAndReason.length == 1 || c.getReason().equals(statusAndReason[1])));
	}

	static void awaitRouteCondition(String route, String type, String status, String reason) {
		awaitRouteCondition(INFRA, route, type, status, reason);
	}

	static void awaitRouteCondition(String namespace, String route, String type, String status, String reason) {
		await().atMost(STATUS).until(() -> {
			HTTPRoute object = KUBE.resources(HTTPRoute.class).inNamespace(namespace).withName(route).get();
			return object != null && object.getStatus() != null && object.getStatus().getParents() != null
					&& object.getStatus().getParents().size() == 1
					&& has(object.getStatus().getParents().get(0).getConditions(),
							type + "=" + status + (reason == null ? "" : "/" + reason));
		});
	}

	/**
	 * The subject of the certificate the HTTPS listener presents for SNI {@code host} (trusting
	 * only the test CA), or null when the handshake fails: no certificate for it.
	 */
	String served(String host) throws IOException {
		try (SSLSocket socket = (SSLSocket) TestPki.trusting(PKI.ca()).getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", https.port()), 5_000);
			socket.setSoTimeout(5_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(host)));
			socket.setSSLParameters(parameters);
			try {
				socket.startHandshake();
			}
			catch (SSLException | SocketException ex) {
				return null; // refused by the server (an alert, or the connection closed)
			}
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
		}
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
