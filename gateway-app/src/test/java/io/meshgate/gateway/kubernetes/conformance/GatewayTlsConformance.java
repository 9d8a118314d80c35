package io.meshgate.gateway.kubernetes.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;

import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.testing.GatewayClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateway API v1.4.1 conformance, the TLSRoute tests of the experimental channel (profile
 * GATEWAY-TLS; {@code conformance/tests/tlsroute-*.go}), each asserting what the upstream Go test
 * asserts; and a TCPRoute to a Service found through its EndpointSlices, which the suite has no
 * test for. TLS passthrough is served on the HTTPS listener (the Gateways' port 443), TCP listeners
 * on ports of their own. They run as {@link GatewayHttpConformanceTest.Tls}, on that class's
 * gateway and cluster: one Spring context for both profiles.
 */
abstract class GatewayTlsConformance extends ConformanceSupport {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalManagementPort
	int managementPort;

	@Test
	void TLSRouteSimpleSameNamespace() throws Exception {
		apply("tlsroute-simple-same-namespace.yaml");
		tlsRouteMustBeAccepted(INFRA, "gateway-conformance-infra-test", INFRA, "gateway-tlsroute");
		byte[] certificate = secretCertificate(INFRA, "tls-checks-certificate");
		// MakeTLSRequestAndExpectEventuallyConsistentResponse: the backend's own certificate, checked for the name
		AtomicInteger consecutive = new AtomicInteger();
		await().atMost(STATUS_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			Map<String, Object> echo = tlsRequest(https.port(), "abc.example.com", certificate);
			boolean expected = String.valueOf(echo.get("pod")).startsWith("tls-backend")
					&& INFRA.equals(echo.get("namespace")) && "/".equals(echo.get("path"));
			return expected ? consecutive.incrementAndGet() >= Traffic.CONSECUTIVE : consecutive.getAndSet(0) < 0;
		});
	}

	@Test
	void TLSRouteInvalidReferenceGrant() {
		apply("tlsroute-invalid-reference-grant.yaml");
		tlsRouteMustBeAccepted(INFRA, "gateway-conformance-infra-test", INFRA, "gateway-tlsroute-referencegrant");
		routeParentMustHaveCondition("TLSRoute " + INFRA + "/gateway-conformance-infra-test",
				() -> tlsParents(INFRA, "gateway-conformance-infra-test"), INFRA, "gateway-tlsroute-referencegrant",
				Expected.of("ResolvedRefs", "False", "RefNotPermitted"));
	}

	/**
	 * A TCPRoute on a TCP listener relays to the endpoints of the Service it names (here an HTTP
	 * echo, as bytes); {@code /actuator/mesh} lists those endpoints as {@code tcp://} addresses.
	 */
	@Test
	void tcpRouteRelaysToTheEndpointsOfItsService() throws Exception {
		int port = freePort();
		List<HasMetadata> objects = List.of(KUBE.getKubernetesSerialization().unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1
				kind: Gateway
				metadata: {name: gateway-tcp, namespace: %s}
				spec:
				  gatewayClassName: %s
				  listeners:
				  - {name: tcp, protocol: TCP, port: %d, allowedRoutes: {kinds: [{kind: TCPRoute}]}}
				""".formatted(INFRA, ConformanceCluster.GATEWAY_CLASS, port)), KUBE.getKubernetesSerialization().unmarshal("""
				apiVersion: gateway.networking.k8s.io/v1alpha2
				kind: TCPRoute
				metadata: {name: tcp-echo, namespace: %s}
				spec:
				  parentRefs: [{name: gateway-tcp}]
				  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
				""".formatted(INFRA)));
		objects.forEach(CLUSTER::apply);
		try {
			routeParentMustHaveCondition("TCPRoute " + INFRA + "/tcp-echo", () -> tcpParents(INFRA, "tcp-echo"), INFRA,
					"gateway-tcp", Expected.of("Accepted", "True", "Accepted"));
			routeParentMustHaveCondition("TCPRoute " + INFRA + "/tcp-echo", () -> tcpParents(INFRA, "tcp-echo"), INFRA,
					"gateway-tcp", Expected.of("ResolvedRefs", "True", "ResolvedRefs"));
			gatewayStatusMustHaveListeners(INFRA, "gateway-tcp", List.of(new Listener("tcp", List.of("TCPRoute"), 1,
					List.of(Expected.of("Accepted", "True", null), Expected.of("Programmed", "True", null)))));
			await().atMost(STATUS_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
				Map<String, Object> echo = plainRequest(port, "/over-tcp");
				return String.valueOf(echo.get("pod")).startsWith("infra-backend-v1") && "/over-tcp".equals(echo.get("path"));
			});
			assertThat(discoveredEndpointUris(Names.tcpUpstream(INFRA, "infra-backend-v1", 8080))).isNotEmpty()
				.allMatch(uri -> uri.startsWith("tcp://"));
		}
		finally {
			CLUSTER.delete(objects);
		}
		// the Gateway gone, its port is closed again
		await().atMost(STATUS_TIMEOUT).until(() -> !accepts(port));
	}

	/** The {@code uri} of each endpoint {@code /actuator/mesh} lists for upstream {@code name}. */
	@SuppressWarnings("unchecked")
	private List<String> discoveredEndpointUris(String name) throws Exception {
		String body = GatewayClient.basic(managementPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD)
			.get("/actuator/mesh")
			.body();
		List<Map<String, Object>> upstreams = (List<Map<String, Object>>) JSON.readValue(body, Map.class).get("upstreams");
		return upstreams.stream()
			.filter(upstream -> name.equals(upstream.get("name")))
			.flatMap(upstream -> ((List<Map<String, Object>>) upstream.get("endpoints")).stream())
			.map(endpoint -> String.valueOf(endpoint.get("uri")))
			.toList();
	}

	// --- status checks for TLSRoutes and TCPRoutes, as helpers.go

	static List<RouteParentStatus> tlsParents(String namespace, String name) {
		TLSRoute route = KUBE.resources(TLSRoute.class).inNamespace(namespace).withName(name).get();
		return route == null || route.getStatus() == null || route.getStatus().getParents() == null ? List.of()
				: route.getStatus().getParents();
	}

	static List<RouteParentStatus> tcpParents(String namespace, String name) {
		TCPRoute route = KUBE.resources(TCPRoute.class).inNamespace(namespace).withName(name).get();
		return route == null || route.getStatus() == null || route.getStatus().getParents() == null ? List.of()
				: route.getStatus().getParents();
	}

	/**
	 * GatewayAndTLSRoutesMustBeAccepted: the Gateway has an address, and the route has exactly one
	 * parent, the Gateway (group and kind set), accepted by Meshgate.
	 */
	static void tlsRouteMustBeAccepted(String namespace, String name, String gatewayNamespace, String gateway) {
		eventually("Gateway " + gatewayNamespace + "/" + gateway + " address", () -> {
			var object = gateway(gatewayNamespace, gateway);
			return object != null && object.getStatus() != null && object.getStatus().getAddresses() != null
					&& !object.getStatus().getAddresses().isEmpty() ? null : "no address in status";
		});
		eventually("TLSRoute " + namespace + "/" + name + " parents", () -> {
			List<RouteParentStatus> parents = tlsParents(namespace, name);
			if (parents.size() != 1) {
				return "expected 1 parent, got " + parents.size();
			}
			RouteParentStatus parent = parents.get(0);
			if (!CONTROLLER.equals(parent.getControllerName()) || !GROUP.equals(parent.getParentRef().getGroup())
					|| !"Gateway".equals(parent.getParentRef().getKind()) || !gateway.equals(parent.getParentRef().getName())) {
				return "parent " + parent.getParentRef() + " of " + parent.getControllerName();
			}
			return conditionsMismatch(parent.getConditions(), List.of(Expected.of("Accepted", "True", "Accepted")));
		});
	}

	/** TLSRouteMustHaveCondition (and the same for a TCPRoute): the parent status for the Gateway has the condition. */
	static void routeParentMustHaveCondition(String what, java.util.function.Supplier<List<RouteParentStatus>> parents,
			String gatewayNamespace, String gateway, Expected condition) {
		eventually(what + " " + condition, () -> {
			for (RouteParentStatus parent : parents.get()) {
				if (parent.getParentRef().getName().equals(gateway) && (parent.getParentRef().getNamespace() == null
						|| parent.getParentRef().getNamespace().equals(gatewayNamespace))) {
					return conditionsMismatch(parent.getConditions(), List.of(condition));
				}
			}
			return "no parent status for Gateway " + gatewayNamespace + "/" + gateway;
		});
	}

	// --- requests

	/** An HTTP/1.1 GET over TLS to the gateway with {@code serverName} as SNI, trusting only {@code certificate}. */
	static Map<String, Object> tlsRequest(int port, String serverName, byte[] certificate) throws Exception {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("backend",
				CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate)));
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(5000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
			parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the backend's certificate names serverName
			socket.setSSLParameters(parameters);
			return get(socket, serverName, "/");
		}
	}

	static Map<String, Object> plainRequest(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(5000);
			return get(socket, "tcp.example", path);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> get(Socket socket, String host, String path) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		int body = response.indexOf("\r\n\r\n");
		String text = body < 0 ? "" : response.substring(body + 4);
		int json = text.indexOf('{');
		return json < 0 ? Map.of() : JSON.readValue(text.substring(json, text.lastIndexOf('}') + 1), Map.class);
	}

	private static byte[] secretCertificate(String namespace, String name) {
		Secret secret = KUBE.secrets().inNamespace(namespace).withName(name).get();
		return Base64.getDecoder().decode(secret.getData().get("tls.crt"));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
