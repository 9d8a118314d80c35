package io.meshgate.policy.tls;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TlsUpstream;
import io.meshgate.policy.tls.TlsPolicy.Mode;
import io.meshgate.policy.upstream.EndpointSpec;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * TLS to upstreams with real certificates made here: an upstream that requires a client
 * certificate, SPIFFE subject alternative names, rotation of the files while traffic flows, and
 * material that must be refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamTlsTest extends GatewayTest {

	static final String ORDERS = "spiffe://cluster.local/ns/shop/sa/orders";

	@TempDir
	Path certs;

	TestPki pki;

	Path ca;

	TlsUpstream server;

	@BeforeEach
	void pki() {
		pki = TestPki.create("Meshgate Test CA");
		ca = pki.writeCa(certs);
		pki.issue("gateway", List.of("uri:spiffe://cluster.local/ns/meshgate/sa/gateway")).write(certs, "client");
		server = TlsUpstream.start(pki.issue("orders", List.of("dns:orders.shop.svc", "uri:" + ORDERS, "ip:127.0.0.1")),
				pki.ca());
	}

	@AfterEach
	void stopServer() {
		server.close();
	}

	@Test
	void mutualTlsReachesAnUpstreamThatRequiresClientCertificates() {
		route(mutual(List.of(ORDERS)));

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("CN=gateway");
	}

	@Test
	void hostnameIsVerifiedWhenNoSubjectAltNamesAreGiven() {
		route(mutual(List.of()));

		assertThat(client.get("/orders/1").body()).isEqualTo("CN=gateway");
	}

	@Test
	void simpleTlsWithoutAClientCertificateFailsWith502() {
		route(new TlsPolicy(Mode.SIMPLE, ca, null, null, List.of(ORDERS), null));

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains("\"upstream\":\"orders\"").startsWith("{");
	}

	@Test
	void plainHttpToATlsUpstreamFailsWith502() {
		apply(List.of(Upstream.of("orders", server.httpsUrl().replace("https:", "http:"))),
				Route.of("orders", "/orders/**", Backend.of("orders", 1)));

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains("\"upstream\":\"orders\"");
	}

	@Test
	void serverCertificateWithoutAnExpectedSubjectAltNameFailsWith502LoggingWhy(CapturedOutput output) {
		route(mutual(List.of("spiffe://cluster.local/ns/shop/sa/payments")));
		double before = counter("meshgate.tls.handshake.failures", "upstream", "orders");

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(502);
		// why stays in the log: certificate names are the operator's business, not the client's
		assertThat(response.body()).contains("\"message\":\"upstream orders failed the TLS handshake\"")
			.doesNotContain("spiffe");
		assertThat(output.getOut()).contains("match none of [spiffe://cluster.local/ns/shop/sa/payments]");
		assertThat(counter("meshgate.tls.handshake.failures", "upstream", "orders")).isGreaterThan(before);
	}

	@Test
	void rotatedClientCertificateIsUsedWithinTenSecondsWithoutFailingRequests() throws Exception {
		route(mutual(List.of(ORDERS)));
		assertThat(client.get("/orders/1").body()).isEqualTo("CN=gateway");
		AtomicBoolean flowing = new AtomicBoolean(true);
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger sent = new AtomicInteger();
		CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
			while (flowing.get()) {
				sent.incrementAndGet();
				if (client.get("/orders/" + sent.get()).statusCode() != 200) {
					failed.incrementAndGet();
				}
			}
		});

		pki.issue("gateway-rotated", List.of()).write(certs, "client");

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> client.get("/orders/check").body().equals("CN=gateway-rotated"));
		flowing.set(false);
		traffic.get();
		assertThat(sent.get()).isGreaterThan(10);
		assertThat(failed.get()).isZero();
	}

	@Test
	void privateKeyOfAnotherCertificateIsRefusedAndNothingChanges() {
		MeshConfig before = routing.current();
		pki.issue("other", List.of()).write(certs, "other");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> route(new TlsPolicy(Mode.MUTUAL, ca, certs.resolve("client.crt"),
					certs.resolve("other.key"), List.of(), null)))
			.withMessage("upstreams[orders].tls.privateKey: " + certs.resolve("other.key") + " (expected: the private key of the certificate "
					+ certs.resolve("client.crt") + ")");
		assertThat(routing.current()).isSameAs(before);
	}

	@Test
	void expiredCertificateIsRefused() {
		pki.issue("expired", List.of(), Instant.now().minus(Duration.ofDays(3)), Duration.ofDays(1)).write(certs, "expired");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> route(new TlsPolicy(Mode.MUTUAL, ca, certs.resolve("expired.crt"),
					certs.resolve("expired.key"), List.of(), null)))
			.withMessageStartingWith("upstreams[orders].tls.certificate: " + certs.resolve("expired.crt") + " (expected: a certificate valid now");
	}

	@Test
	void unreadableFileIsRefused() {
		Path missing = certs.resolve("missing.crt");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> route(new TlsPolicy(Mode.SIMPLE, missing, null, null, List.of(), null)))
			.withMessage("upstreams[orders].tls.caCertificates: " + missing + " (expected: a file the gateway can read)");
		assertThat(Files.exists(missing)).isFalse();
	}

	private TlsPolicy mutual(List<String> subjectAltNames) {
		return new TlsPolicy(Mode.MUTUAL, ca, certs.resolve("client.crt"), certs.resolve("client.key"),
				subjectAltNames, null);
	}

	private void route(TlsPolicy tls) {
		apply(List.of(Upstream.of("orders", List.of(EndpointSpec.of(server.httpsUrl()))).withTls(tls)),
				Route.of("orders", "/orders/**", Backend.of("orders", 1)));
	}

}
