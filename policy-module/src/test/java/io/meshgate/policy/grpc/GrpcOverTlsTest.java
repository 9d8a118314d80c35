package io.meshgate.policy.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.policy.grpc.testing.EchoReply;
import io.meshgate.policy.grpc.testing.EchoRequest;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.tls.TlsPolicy;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * gRPC over TLS end to end: a grpc-java client negotiates h2 by ALPN with the gateway's TLS
 * ingress, and the gateway does the same with a grpc-java TLS server (which speaks nothing but
 * h2) behind an {@code H2} or {@code AUTO} upstream; trailers come back through both.
 */
class GrpcOverTlsTest extends GatewayTest {

	static final TestPki PKI = TestPki.create("grpc-ca");

	private static Path dir;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry properties) throws IOException {
		dir = Files.createTempDirectory("grpc-tls");
		PKI.issue("localhost", List.of("dns:localhost", "ip:127.0.0.1")).write(dir, "ingress");
		PKI.writeCa(dir);
		properties.add("server.ssl.certificate", () -> dir.resolve("ingress.crt").toUri().toString());
		properties.add("server.ssl.certificate-private-key", () -> dir.resolve("ingress.key").toUri().toString());
		properties.add("server.http2.enabled", () -> "true");
		// the first calls of this context make cold TLS handshakes on both sides, on a shared machine
		properties.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "10s");
	}

	private Upstream tlsUpstream(String name, UpstreamProtocol protocol) {
		EchoServer server = closeAfter(EchoServer.startTls(name, PKI.issue("echo", List.of("ip:127.0.0.1"))));
		TlsPolicy tls = new TlsPolicy(TlsPolicy.Mode.SIMPLE, dir.resolve("ca.crt"), null, null, null, null);
		return Upstream.of(name, server.url("http")).withTls(tls).withProtocol(protocol);
	}

	@Test
	void aTlsClientReachesAnH2UpstreamAndTrailersComeBack() throws Exception {
		apply(List.of(tlsUpstream("secure", UpstreamProtocol.H2)),
				Route.of("grpc", GrpcThroughGatewayTest.SERVICE, Backend.of("secure", 1)));

		try (GrpcClients grpc = GrpcClients.tls(port, PKI.ca())) {
			assertThat(grpc.blocking().unary(EchoRequest.newBuilder().setText("over tls").build()).getText())
				.isEqualTo("over tls");
			Iterator<EchoReply> stream = grpc.blocking()
				.serverStream(EchoRequest.newBuilder().setCount(2).setFailWith(Status.Code.ABORTED.value()).build());
			assertThat(stream.next().getIndex()).isZero();
			assertThat(stream.next().getIndex()).isOne();
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(stream::next)
				.satisfies(e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
		}
	}

	@Test
	void anAutoUpstreamNegotiatesH2ByAlpn() throws Exception {
		apply(List.of(tlsUpstream("auto", UpstreamProtocol.AUTO)),
				Route.of("grpc", GrpcThroughGatewayTest.SERVICE, Backend.of("auto", 1)));

		try (GrpcClients grpc = GrpcClients.tls(port, PKI.ca())) {
			assertThat(grpc.blocking().unary(EchoRequest.newBuilder().setText("auto").build()).getServer())
				.isEqualTo("auto");
		}
	}

}
