package io.meshgate.policy.grpc;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingress port with its default settings (no {@code server.http2.enabled}): a grpc-java
 * plaintext channel, which opens with HTTP/2's preface and never sends an HTTP/1.1 Upgrade,
 * reaches a gRPC server; an HTTP/1.1 client that offers {@code Upgrade: h2c} stays on HTTP/1.1.
 */
class GrpcPriorKnowledgeTest extends GatewayTest {

	/**
	 * A bound on a wait, not a pace: an upgrade would show at once as {@code 101}; the first request
	 * through a new route has taken over 5 s on a machine shared by many builds.
	 */
	private static final Duration ANSWER = Duration.ofSeconds(30);

	@Test
	void aPlaintextGrpcClientReachesAGrpcServerThroughARoute() throws Exception {
		EchoServer server = closeAfter(EchoServer.start("one"));
		apply(List.of(Upstream.of("echo", server.url("http")).withProtocol(UpstreamProtocol.H2C)),
				Route.of("grpc", GrpcThroughGatewayTest.SERVICE, Backend.of("echo", 1)));

		try (GrpcClients grpc = GrpcClients.h2c(port)) {
			assertThat(grpc.blocking().unary(EchoRequest.newBuilder().setText("hello").build()).getServer())
				.isEqualTo("one");
		}
	}

	@Test
	void anHttp11UpgradeToH2cIsServedAsHttp11() {
		TestUpstream upstream = start("plain");
		apply(List.of(Upstream.of("plain", upstream.url())), Route.of("plain", "/plain/**", Backend.of("plain", 1)));

		try (RawClient raw = new RawClient(port)) {
			raw.send("GET /plain/one HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
					+ "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
			assertThat(raw.readAnswer(ANSWER)).startsWith("HTTP/1.1 200");
			// the connection stays HTTP/1.1, and a later offer is not honoured either
			raw.send("GET /plain/two HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
			assertThat(raw.readAnswer(ANSWER)).startsWith("HTTP/1.1 200");
		}
		assertThat(upstream.received()).extracting(TestUpstream.Received::uri).containsExactly("/plain/one", "/plain/two");
	}

}
