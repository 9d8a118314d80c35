package io.meshgate.policy.l4.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.L4ConnectionPolicy;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.outlier.OutlierDetectionPolicy;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TCP routes through the real gateway: raw sockets on loopback to a listener port of the route,
 * relayed to raw TCP servers ({@link TcpTestServer}).
 */
class TcpRouteTest extends GatewayTest {

	private final int listenPort = TcpTestServer.closedPort();

	@Autowired
	L4Proxy l4;

	private static Upstream tcp(String name, String... endpoints) {
		return Upstream.tcp(name, endpoints);
	}

	private void applyTcp(List<Upstream> upstreams, TcpRoute... routes) {
		routing.apply(new MeshConfig(upstreams, List.of()).withL4(List.of(routes), List.of()));
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(TcpTestServer.loopback(listenPort), 2000);
		socket.setSoTimeout(5000);
		return socket;
	}

	/** The first line a {@link TcpTestServer} writes: its name. */
	private static String banner(Socket socket) throws IOException {
		StringBuilder line = new StringBuilder();
		InputStream in = socket.getInputStream();
		for (int c; (c = in.read()) != '\n';) {
			if (c == -1) {
				return "closed";
			}
			line.append((char) c);
		}
		return line.toString();
	}

	@Test
	void relaysBytesBothWaysAndCountsThem() throws IOException {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		applyTcp(List.of(tcp("echo", echo.endpoint())), TcpRoute.of("echo-route", listenPort, L4Backend.of("echo", 1)));
		byte[] payload = new byte[1000];
		Arrays.fill(payload, (byte) 'x');
		try (Socket socket = connect()) {
			assertThat(banner(socket)).isEqualTo("a");
			socket.getOutputStream().write(payload);
			assertThat(socket.getInputStream().readNBytes(1000)).isEqualTo(payload);
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(counter(L4Meters.BYTES, "route", "echo-route", "backend", "echo", "direction", "upstream"))
				.isEqualTo(1000);
			assertThat(counter(L4Meters.BYTES, "route", "echo-route", "backend", "echo", "direction", "downstream"))
				.isEqualTo(1002);
		});
		assertThat(counter(L4Meters.CONNECTIONS, "route", "echo-route", "outcome", "connected")).isEqualTo(1);
		assertThat(meters.find(L4Meters.DURATION).tags("route", "echo-route").timer().count()).isEqualTo(1);
		assertThat(l4.state().get("tcpRoutes")).isEqualTo(
				java.util.Map.of("echo-route", java.util.Map.of("port", listenPort, "activeConnections", 0)));
	}

	@Test
	void passesHalfCloseOnAndKeepsTheOtherDirectionOpen() throws IOException {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		applyTcp(List.of(tcp("echo", echo.endpoint())), TcpRoute.of("half", listenPort, L4Backend.of("echo", 1)));
		try (Socket socket = connect()) {
			assertThat(banner(socket)).isEqualTo("a");
			socket.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			// the server echoes after our FIN, then sends its own: everything arrives, then EOF
			assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
				.isEqualTo("last words");
		}
	}

	@Test
	void stopsReadingFromTheClientWhileTheBackendDoesNotRead() throws Exception {
		TcpTestServer stalled = closeAfter(TcpTestServer.stalled());
		applyTcp(List.of(tcp("slow", stalled.endpoint())), TcpRoute.of("pressure", listenPort, L4Backend.of("slow", 1)));
		long total = 64L * 1024 * 1024;
		AtomicLong written = new AtomicLong();
		try (Socket socket = connect()) {
			Thread writer = new Thread(() -> {
				byte[] chunk = new byte[64 * 1024];
				try (OutputStream out = socket.getOutputStream()) {
					for (long sent = 0; sent < total; sent += chunk.length) {
						Arrays.fill(chunk, (byte) (sent / chunk.length));
						out.write(chunk);
						written.addAndGet(chunk.length);
					}
					socket.shutdownOutput();
				}
				catch (IOException ex) {
					// the test ended
				}
			});
			writer.setDaemon(true);
			writer.start();
			// the writer blocks once the socket buffers on the way are full: the gateway holds no more
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				long before = written.get();
				writer.join(500);
				return written.get() == before;
			});
			assertThat(written.get()).isLessThan(total / 2);
			stalled.release();
			await().atMost(Duration.ofSeconds(30)).until(() -> stalled.received() == total);
		}
	}

	@Test
	void closesTheClientWhenTheBackendRefusesAndCountsTheFailure() throws IOException {
		applyTcp(List.of(tcp("gone", "tcp://127.0.0.1:" + TcpTestServer.closedPort())),
				TcpRoute.of("refused", listenPort, L4Backend.of("gone", 1)));
		try (Socket socket = connect()) {
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(
					counter(L4Meters.CONNECTIONS, "route", "refused", "outcome", "connect_failure")).isEqualTo(1));
	}

	/**
	 * A backend that never completes the TCP handshake is given up after the route's
	 * {@code connection.connectTimeout}: the client is closed and the attempt is a connect failure.
	 * The backend is a listening socket whose accept queue is full, for which Linux drops the SYN.
	 */
	@Test
	void givesUpOnABackendThatNeverAnswersTheHandshakeAtTheConnectTimeout() throws IOException {
		try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<Socket> queued = fillAcceptQueue(full);
			try {
				applyTcp(List.of(tcp("silent", "tcp://127.0.0.1:" + full.getLocalPort())),
						TcpRoute.of("silent", listenPort, L4Backend.of("silent", 1))
							.withConnection(new L4ConnectionPolicy(Duration.ofMillis(300), null, null)));
				try (Socket socket = connect()) {
					long start = System.nanoTime();
					assertThat(socket.getInputStream().read()).isEqualTo(-1);
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250),
							Duration.ofSeconds(4));
				}
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(
							counter(L4Meters.CONNECTIONS, "route", "silent", "outcome", "connect_failure")).isEqualTo(1));
			}
			finally {
				for (Socket socket : queued) {
					socket.close();
				}
			}
		}
	}

	/** Connections to {@code server}, never accepted, until one cannot finish its handshake. */
	private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
		List<Socket> queued = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
				queued.add(socket);
			}
			catch (SocketTimeoutException full) {
				socket.close();
				return queued;
			}
		}
		throw new IllegalStateException("the accept queue of a listening socket with backlog 1 never filled");
	}

	@Test
	void closesAConnectionIdleForTheIdleTimeout() throws IOException {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		applyTcp(List.of(tcp("echo", echo.endpoint())), TcpRoute.of("idle", listenPort, L4Backend.of("echo", 1))
			.withConnection(new L4ConnectionPolicy(null, Duration.ofMillis(300), null)));
		try (Socket socket = connect()) {
			assertThat(banner(socket)).isEqualTo("a");
			long start = System.nanoTime();
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		}
	}

	@Test
	void refusesConnectionsAboveMaxConnections() throws IOException {
		TcpTestServer echo = closeAfter(TcpTestServer.echo("a"));
		applyTcp(List.of(tcp("echo", echo.endpoint())), TcpRoute.of("limited", listenPort, L4Backend.of("echo", 1))
			.withConnection(new L4ConnectionPolicy(null, null, 2)));
		try (Socket first = connect(); Socket second = connect()) {
			assertThat(banner(first)).isEqualTo("a");
			assertThat(banner(second)).isEqualTo("a");
			try (Socket third = connect()) {
				assertThat(third.getInputStream().read()).isEqualTo(-1);
			}
			assertThat(counter(L4Meters.REJECTED, "route", "limited", "reason", "max_connections")).isEqualTo(1);
			assertThat(echo.accepted()).isEqualTo(2);
		}
		// the slots come back when connections close
		await().atMost(Duration.ofSeconds(5)).until(() -> active("limited") == 0);
		try (Socket again = connect()) {
			assertThat(banner(again)).isEqualTo("a");
		}
	}

	@Test
	void roundRobinSpreadsConnectionsOverEndpointsExactly() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		TcpTestServer b = closeAfter(TcpTestServer.echo("b"));
		applyTcp(List.of(tcp("pair", a.endpoint(), b.endpoint())), TcpRoute.of("rr", listenPort, L4Backend.of("pair", 1)));
		assertThat(banners(4)).containsExactly("a", "b", "a", "b");
	}

	@Test
	void weightsSplitConnectionsBetweenBackends() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		TcpTestServer b = closeAfter(TcpTestServer.echo("b"));
		applyTcp(List.of(tcp("first", a.endpoint()), tcp("second", b.endpoint())),
				TcpRoute.of("split", listenPort, L4Backend.of("first", 3), L4Backend.of("second", 1)));
		assertThat(count(banners(8))).containsEntry("a", 6L).containsEntry("b", 2L);
	}

	@Test
	void leastConnectionsPrefersTheEndpointWithFewerOpenConnections() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		TcpTestServer b = closeAfter(TcpTestServer.echo("b"));
		applyTcp(List.of(tcp("pair", a.endpoint(), b.endpoint())
			.withLoadBalancer(LoadBalancerPolicy.of(LoadBalancerPolicy.Type.LEAST_REQUEST))),
				TcpRoute.of("least", listenPort, L4Backend.of("pair", 1)));
		try (Socket held = connect()) {
			String first = banner(held);
			// with two endpoints both are drawn; the one without an open connection wins, every time
			List<String> next = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				next.addAll(banners(1));
				await().atMost(Duration.ofSeconds(5)).until(() -> active("least") == 1);
			}
			assertThat(next).containsOnly(first.equals("a") ? "b" : "a");
		}
	}

	@Test
	void ringHashOnClientAddressKeepsAClientOnOneEndpoint() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		TcpTestServer b = closeAfter(TcpTestServer.echo("b"));
		TcpTestServer c = closeAfter(TcpTestServer.echo("c"));
		applyTcp(List.of(tcp("ring", a.endpoint(), b.endpoint(), c.endpoint())
			.withLoadBalancer(LoadBalancerPolicy.ringHash("client-address"))),
				TcpRoute.of("sticky", listenPort, L4Backend.of("ring", 1)));
		assertThat(count(banners(6))).hasSize(1);
	}

	@Test
	void activeHealthChecksTakeADownEndpointOutOfRotation() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		String down = "tcp://127.0.0.1:" + TcpTestServer.closedPort();
		applyTcp(List.of(tcp("checked", a.endpoint(), down)
			.withHealthCheck(new HealthCheckPolicy(null, Duration.ofMillis(200), Duration.ofMillis(200), 1, 1, null, null))),
				TcpRoute.of("health", listenPort, L4Backend.of("checked", 1)));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(healthy("checked", down)).isEqualTo(0);
			assertThat(healthy("checked", a.endpoint())).isEqualTo(1);
		});
		assertThat(banners(4)).containsOnly("a");
	}

	@Test
	void outlierDetectionEjectsAnEndpointThatRefusesConnections() throws IOException {
		TcpTestServer a = closeAfter(TcpTestServer.echo("a"));
		String down = "tcp://127.0.0.1:" + TcpTestServer.closedPort();
		applyTcp(List.of(tcp("outliers", down, a.endpoint())
			.withOutlierDetection(new OutlierDetectionPolicy(null, 1, null, Duration.ofMinutes(1), 100.0))),
				TcpRoute.of("eject", listenPort, L4Backend.of("outliers", 1)));
		// the first connection goes to the refusing endpoint and fails; it is ejected at once
		try (Socket refused = connect()) {
			assertThat(refused.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(banners(4)).containsOnly("a");
	}

	private double active(String route) {
		return meters.find(L4Meters.ACTIVE).tags("route", route).gauge().value();
	}

	private double healthy(String upstream, String endpoint) {
		var gauge = meters.find(MeshMetrics.ENDPOINT_HEALTHY)
			.tags(MeshMetrics.UPSTREAM, upstream, MeshMetrics.ENDPOINT, endpoint.substring("tcp://".length()))
			.gauge();
		return gauge == null ? Double.NaN : gauge.value();
	}

	private List<String> banners(int connections) throws IOException {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			try (Socket socket = connect()) {
				names.add(banner(socket));
			}
		}
		return names;
	}

}
