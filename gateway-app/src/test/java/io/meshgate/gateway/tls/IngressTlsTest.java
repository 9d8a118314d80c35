package io.meshgate.gateway.tls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS termination on the ingress port from a Spring Boot SSL bundle of PEM files: HTTP/2 over
 * TLS, and a renewed certificate served without restart.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IngressTlsTest {

	static final TestPki PKI = TestPki.create("Ingress Test CA");

	static final Path CERTS;

	static {
		try {
			CERTS = Files.createTempDirectory("meshgate-ingress");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		PKI.issue("gateway.example.com", List.of("dns:localhost", "ip:127.0.0.1")).write(CERTS, "ingress");
	}

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.store.path", () -> CERTS.resolve("store").toString());
		properties.add("server.ssl.bundle", () -> "ingress");
		properties.add("server.http2.enabled", () -> "true");
		properties.add("spring.ssl.bundle.pem.ingress.keystore.certificate", () -> CERTS.resolve("ingress.crt").toString());
		properties.add("spring.ssl.bundle.pem.ingress.keystore.private-key", () -> CERTS.resolve("ingress.key").toString());
		properties.add("spring.ssl.bundle.pem.ingress.reload-on-update", () -> "true");
		properties.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
	}

	@Test
	void servesHttp2OverTlsAndPicksUpARenewedCertificate() throws Exception {
		HttpResponse<String> response = get();

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.body()).contains("\"service\":\"demo\"");
		assertThat(servedSubject(response)).isEqualTo("CN=gateway.example.com");

		PKI.issue("gateway-renewed.example.com", List.of("dns:localhost", "ip:127.0.0.1")).write(CERTS, "ingress");

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> servedSubject(get()).equals("CN=gateway-renewed.example.com"));
	}

	private HttpResponse<String> get() throws Exception {
		// a new client each time: a new connection, so the handshake shows the certificate served now
		HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(PKI.ca())).version(HttpClient.Version.HTTP_2).build();
		return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/demo/")).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String servedSubject(HttpResponse<?> response) throws Exception {
		return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal()
			.getName();
	}

}
