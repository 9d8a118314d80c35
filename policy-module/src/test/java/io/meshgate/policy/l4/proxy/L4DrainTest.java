package io.meshgate.policy.l4.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A graceful shutdown of the L4 side ({@link L4Proxy#drain}, which {@link L4Drain} runs in the
 * ingress server's shutdown phase) over real sockets: a TCP route's own proxy with a short grace
 * period, on the gateway's upstreams, so that the shared gateway keeps serving.
 */
class L4DrainTest extends GatewayTest {

	private static final Duration GRACE = Duration.ofMillis(1500);

	private final int listenPort = TcpTestServer.closedPort();

	@Autowired
	UpstreamRegistry upstreams;

	@Autowired
	L4Drain lifecycle;

	/** A proxy of its own with {@code grace}, serving a TCP route to a {@link TcpTestServer} echo. */
	private L4Proxy proxy(Duration grace) {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		List<Upstream> echoes = List.of(Upstream.tcp("echo", echo.endpoint()));
		apply(echoes);
		L4Proxy proxy = closeAfter(new L4Proxy(upstreams, meters, DefaultAddressResolverGroup.INSTANCE,
				L4Properties.DEFAULT, grace));
		proxy.prepare(new MeshConfig(echoes, List.of())
			.withL4(List.of(TcpRoute.of("drained", listenPort, L4Backend.of("echo", 1))), List.of())).commit();
		return proxy;
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(TcpTestServer.loopback(listenPort), 2000);
		socket.setSoTimeout(5000);
		assertThat(socket.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII).isEqualTo("a\n");
		return socket;
	}

	private static void echoes(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
		assertThat(socket.getInputStream().readNBytes(text.length())).asString(StandardCharsets.US_ASCII).isEqualTo(text);
	}

	@Test
	void openConnectionsKeepWorkingNewOnesAreRefusedAndTheLastAreClosedAtTheGracePeriod() throws Exception {
		L4Proxy proxy = proxy(GRACE);
		try (Socket finishing = connect(); Socket lingering = connect()) {
			CompletableFuture<Long> drained = new CompletableFuture<>();
			long start = System.nanoTime();
			proxy.drain(() -> drained.complete(System.nanoTime()));

			assertThatExceptionOfType(ConnectException.class).as("the listener stopped accepting")
				.isThrownBy(() -> new Socket().connect(TcpTestServer.loopback(listenPort), 2000));
			echoes(finishing, "still relayed");
			echoes(lingering, "here too");
			finishing.close();
			assertThat(drained).as("a connection is still open").isNotDone();

			long end = drained.get(10, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(end - start)).isBetween(GRACE.minusMillis(50), GRACE.plusSeconds(5));
			InputStream in = lingering.getInputStream();
			assertThat(in.read()).as("closed by the gateway at the end of the grace period").isEqualTo(-1);
		}
	}

	@Test
	void theDrainEndsWhenTheLastConnectionCloses() throws Exception {
		L4Proxy proxy = proxy(Duration.ofSeconds(60));
		CompletableFuture<Void> drained = new CompletableFuture<>();
		try (Socket open = connect()) {
			proxy.drain(() -> drained.complete(null));
			echoes(open, "before the end");
			assertThat(drained).isNotDone();
		}
		// well within the grace period of a minute
		drained.get(10, TimeUnit.SECONDS);
	}

	@Test
	void theLifecycleDrainsInTheIngressServersGracefulShutdownPhase() {
		assertThat(lifecycle.getPhase())
			.isEqualTo(org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
		assertThat(lifecycle.isRunning()).isTrue();
	}

}
