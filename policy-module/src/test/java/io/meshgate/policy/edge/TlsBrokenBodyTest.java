package io.meshgate.policy.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.RawUpstream;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a TLS ingress that offers h2 and http/1.1 by ALPN, the HTTP/1.1 pipeline is built after the
 * handshake: a broken chunk there aborts the upstream request, and headers trickled there hit
 * their deadline, as on a cleartext connection.
 */
class TlsBrokenBodyTest extends GatewayTest {

	static final TestPki PKI = TestPki.create("ingress-ca");

	private RawUpstream upstream;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry properties) throws IOException {
		Path dir = Files.createTempDirectory("ingress-tls");
		PKI.issue("localhost", List.of("dns:localhost", "ip:127.0.0.1")).write(dir, "ingress");
		properties.add("server.ssl.certificate", () -> dir.resolve("ingress.crt").toUri().toString());
		properties.add("server.ssl.certificate-private-key", () -> dir.resolve("ingress.key").toUri().toString());
		properties.add("server.http2.enabled", () -> "true");
		properties.add("meshgate.ingress.request-header-timeout", () -> "1s");
	}

	@BeforeEach
	void route() {
		upstream = startRaw();
		apply(List.of(Upstream.of("raw", upstream.url())), Route.of("raw", "/raw/**", Backend.of("raw", 1)));
	}

	@Test
	void malformedSecondChunkOverHttp11ChosenByAlpnAbortsTheUpstreamRequest() {
		try (RawClient client = new RawClient(http11OverTls())) {
			client.send("POST /raw/x HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
			upstream.awaitReceived("hello");
			client.send("zz\r\nabc\r\n0\r\n\r\n");

			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).startsWith("HTTP/1.1 400 ");
		}
		assertThat(upstream.awaitOnlyConnectionEnded().terminated()).as("upstream request ended with the last chunk").isFalse();
	}

	@Test
	void headersTrickledOverHttp11ChosenByAlpnHitTheDeadline() {
		double before = counter(MeshMetrics.INGRESS_TIMEOUTS, "phase", "headers");
		try (RawClient client = new RawClient(http11OverTls());
				RawClient.Trickle trickle = client.trickle("GET /raw/x HTTP/1.1\r\nHost: gw\r\nX-Slow: ", Duration.ofMillis(200))) {
			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s, nothing answered").isEmpty();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> counter(MeshMetrics.INGRESS_TIMEOUTS, "phase", "headers") == before + 1);
	}

	private SSLSocket http11OverTls() {
		try {
			SSLSocket socket = (SSLSocket) TestPki.trusting(PKI.ca())
				.getSocketFactory()
				.createSocket(InetAddress.getLoopbackAddress(), port);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "http/1.1" });
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
