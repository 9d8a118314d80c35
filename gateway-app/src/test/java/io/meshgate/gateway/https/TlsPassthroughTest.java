package io.meshgate.gateway.https;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.edge.KeepAliveDrain;
import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.l4.proxy.L4Drain;
import io.meshgate.policy.l4.proxy.L4Properties;
import io.meshgate.policy.l4.proxy.L4Proxy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * TLS passthrough by SNI on the HTTPS port of a real gateway: names of passthrough routes reach a
 * real TLS server behind the gateway with the ClientHello untouched (the client sees the backend's
 * certificate), every other name is terminated by the gateway on the same port, and ClientHellos
 * that are split, oversized, never finished or not TLS at all are bounded.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/passthrough-${random.uuid}", "meshgate.https.port=0",
				"meshgate.https.bundle=fallback", "meshgate.l4.client-hello-timeout=1s",
				"meshgate.l4.address=127.0.0.1", "meshgate.admin.users[0].name=" + TestUsers.EDITOR,
				"meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH, "meshgate.admin.users[0].roles[0]=editor" })
class TlsPassthroughTest {

	static final TestCertificates TLS = new TestCertificates();

	static final TestPki BACKEND_PKI = TestPki.create("Passthrough backend CA");

	static final TestUpstream SHOP = TestUpstream.start("shop");

	@DynamicPropertySource
	static void bundle(DynamicPropertyRegistry properties) {
		Path dir = TLS.bundleFiles("fallback", "fallback.example.com");
		properties.add("spring.ssl.bundle.pem.fallback.keystore.certificate", () -> dir.resolve("fallback.crt").toString());
		properties.add("spring.ssl.bundle.pem.fallback.keystore.private-key", () -> dir.resolve("fallback.key").toString());
	}

	@Autowired
	HttpsListener listener;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeshRouting routing;

	@Autowired
	HttpsCertificates certificates;

	@Autowired
	UpstreamRegistry upstreams;

	@Autowired
	MeterRegistry meters;

	TlsBackend db;

	Recorder raw;

	@BeforeEach
	void routes() throws Exception {
		db = new TlsBackend();
		raw = new Recorder();
		routing.apply(new MeshConfig(
				List.of(Upstream.of("shop", SHOP.url()), Upstream.tcp("db", "tcp://127.0.0.1:" + db.port()),
						Upstream.tcp("raw", "tcp://127.0.0.1:" + raw.port())),
				List.of(Route.of("shop", "/shop/**", Backend.of("shop", 1))))
			.withL4(List.of(), List.of(TlsPassthroughRoute.of("db", List.of("db.example.com"), L4Backend.of("db", 1)),
					TlsPassthroughRoute.of("raw", List.of("*.raw.example.com"), L4Backend.of("raw", 1)))));
	}

	@AfterEach
	void close() throws IOException {
		routing.apply(MeshConfig.EMPTY);
		db.close();
		raw.close();
	}

	@AfterAll
	static void stopUpstream() {
		SHOP.close();
	}

	@Test
	void passesTlsByServerNameToTheBackendWhichTerminatesIt() throws Exception {
		try (SSLSocket socket = tls(TestPki.trusting(BACKEND_PKI.ca()), "db.example.com")) {
			socket.startHandshake();
			X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(peer.getSubjectX500Principal().getName()).contains("CN=db.example.com");
			assertThat(line(socket.getInputStream())).isEqualTo("db backend");
			socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(line(socket.getInputStream())).isEqualTo("ping");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theMeshEndpointListsThePassthroughRoutesWithTheirOpenConnections() throws Exception {
		try (SSLSocket socket = tls(TestPki.trusting(BACKEND_PKI.ca()), "db.example.com")) {
			assertThat(line(socket.getInputStream())).isEqualTo("db backend");
			HttpResponse<String> response = GatewayClient.basic(managementPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD)
				.get("/actuator/mesh");
			assertThat(response.statusCode()).isEqualTo(200);
			List<Map<String, Object>> routes = (List<Map<String, Object>>) JsonParserFactory.getJsonParser()
				.parseMap(response.body())
				.get("tlsPassthroughRoutes");
			assertThat(routes).hasSize(2);
			assertThat(routes.get(0)).containsEntry("name", "db")
				.containsEntry("hosts", List.of("db.example.com"))
				.containsEntry("activeConnections", 1);
		}
	}

	@Test
	void terminatesEveryOtherNameOnTheSamePort() throws Exception {
		assertThat(httpsGet("fallback.example.com")).startsWith("HTTP/1.1 200");
	}

	@Test
	void aClientHelloSentByteByByteReachesTheBackendUntouched() throws Exception {
		byte[] hello = RawClientHello.bytes("a.raw.example.com");
		try (Socket socket = raw()) {
			OutputStream out = socket.getOutputStream();
			for (byte b : hello) {
				out.write(b);
				out.flush();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.received().length == hello.length);
			assertThat(raw.received()).isEqualTo(hello);
		}
	}

	@Test
	void anOversizedClientHelloIsRefusedAndHttpsGoesOn() throws Exception {
		try (Socket socket = raw()) {
			// a handshake record announcing a 64 KiB ClientHello: over the 16 KiB the check reads
			socket.getOutputStream().write(new byte[] { 22, 3, 1, 0x40, 0, 1, 1, 0, 0, 3, 3 });
			socket.getOutputStream().write(new byte[0x3ff0]);
			assertThat(readUntilClosed(socket.getInputStream())).isTrue();
		}
		assertThat(raw.received()).isEmpty();
		assertThat(httpsGet("fallback.example.com")).startsWith("HTTP/1.1 200");
	}

	@Test
	void aClientHelloNeverFinishedIsClosedAfterTheTimeout() throws Exception {
		byte[] hello = RawClientHello.bytes("a.raw.example.com");
		try (Socket socket = raw()) {
			socket.getOutputStream().write(hello, 0, 20);
			long start = System.nanoTime();
			assertThat(readUntilClosed(socket.getInputStream())).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800))
				.isLessThan(Duration.ofSeconds(8));
		}
		assertThat(raw.received()).isEmpty();
	}

	@Test
	void bytesThatAreNotTlsGoToTerminationAndNeverToABackend() throws Exception {
		try (Socket socket = raw()) {
			socket.getOutputStream()
				.write("GET /shop/x HTTP/1.1\r\nHost: a.raw.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(readUntilClosed(socket.getInputStream())).isTrue();
		}
		assertThat(raw.received()).isEmpty();
		assertThat(httpsGet("fallback.example.com")).startsWith("HTTP/1.1 200");
	}

	/**
	 * A graceful shutdown as the application runs it ({@link KeepAliveDrain#stop()}, then
	 * {@link HttpsListener#stop(Runnable)} and {@link L4Drain#stop(Runnable)} in the same phase), on
	 * an HTTPS listener and L4 side of their own with a grace period of 1.5 s, so that the shared
	 * gateway keeps serving: the listener stops accepting and closes at once a terminated connection
	 * with no request in flight, while an open passthrough connection, which Reactor Netty never
	 * counts among the listener's connections (its TLS handshake is not the gateway's), keeps
	 * relaying both ways until the gateway closes it at the end of the grace period, as the drain
	 * ends.
	 */
	@Test
	void anOpenPassthroughConnectionKeepsRelayingDuringTheShutdownGracePeriodAndIsClosedAfterIt() throws Exception {
		Duration grace = Duration.ofMillis(1500);
		try (L4Proxy l4 = new L4Proxy(upstreams, meters, DefaultAddressResolverGroup.INSTANCE, L4Properties.DEFAULT,
				grace)) {
			l4.prepare(new MeshConfig(List.of(Upstream.tcp("db", "tcp://127.0.0.1:" + db.port())), List.of())
				.withL4(List.of(), List.of(TlsPassthroughRoute.of("db", List.of("db.example.com"), L4Backend.of("db", 1)))))
				.commit();
			NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
			factory.setShutdown(Shutdown.GRACEFUL);
			KeepAliveDrain keepAlive = new KeepAliveDrain();
			factory.addServerCustomizers(keepAlive::apply, new SniServerCustomizer(certificates, null, l4));
			HttpHandler notFound = (request, response) -> {
				response.setRawStatusCode(404);
				return response.setComplete();
			};
			HttpsListener draining = new HttpsListener(factory, () -> notFound, bound -> {
			});
			draining.start();
			int port = draining.port();
			try (SSLSocket open = tls(TestPki.trusting(BACKEND_PKI.ca()), "db.example.com", port);
					SSLSocket idle = tls(TestPki.trusting(TLS.pki.ca()), "fallback.example.com", port)) {
				assertThat(line(open.getInputStream())).isEqualTo("db backend");
				idle.getOutputStream()
					.write("GET /x HTTP/1.1\r\nHost: fallback.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(line(idle.getInputStream())).startsWith("HTTP/1.1 404");

				CompletableFuture<Void> listenerStopped = new CompletableFuture<>();
				CompletableFuture<Long> drained = new CompletableFuture<>();
				long start = System.nanoTime();
				keepAlive.stop();
				draining.stop(() -> listenerStopped.complete(null));
				new L4Drain(l4).stop(() -> drained.complete(System.nanoTime()));

				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(50))
					.untilAsserted(() -> assertThatExceptionOfType(IOException.class).as("the listener stopped accepting")
						.isThrownBy(() -> tls(TestPki.trusting(BACKEND_PKI.ca()), "db.example.com", port).startHandshake()));
				assertThat(readUntilClosed(idle.getInputStream()))
					.as("a terminated connection with no request in flight: closed by the listener's shutdown at once")
					.isTrue();
				assertThat(drained).as("the passthrough connection is still open").isNotDone();
				open.getOutputStream().write("still relayed\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(line(open.getInputStream())).isEqualTo("still relayed");
				assertThat(drained).as("the passthrough connection is still open").isNotDone();

				assertThat(readUntilClosed(open.getInputStream())).as("closed by the gateway").isTrue();
				long closed = System.nanoTime();
				assertThat(Duration.ofNanos(closed - start)).as("closed at the end of the grace period")
					.isBetween(grace.minusMillis(50), grace.plusSeconds(5));
				long drainEnded = drained.get(10, TimeUnit.SECONDS);
				assertThat(Duration.ofNanos(drainEnded - start)).isBetween(grace.minusMillis(50), grace.plusSeconds(5));
				// the drain closes what is left as it ends; nothing may hold that close back (by another
				// grace period, say) while the shutdown goes on as if the connection were gone
				assertThat(Duration.ofNanos(closed - drainEnded)).as("closed when the drain ends")
					.isLessThan(grace.dividedBy(2));
				listenerStopped.get(10, TimeUnit.SECONDS);
			}
			finally {
				draining.stop();
			}
		}
	}

	private Socket raw() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()), 2000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	private SSLSocket tls(SSLContext context, String serverName) throws IOException {
		return tls(context, serverName, listener.port());
	}

	private static SSLSocket tls(SSLContext context, String serverName, int port) throws IOException {
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
		socket.setSoTimeout(10_000);
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setServerNames(List.of(new SNIHostName(serverName)));
		parameters.setApplicationProtocols(new String[] { "http/1.1" });
		socket.setSSLParameters(parameters);
		return socket;
	}

	/** The status line of {@code GET /shop/x} over TLS terminated by the gateway for {@code serverName}. */
	private String httpsGet(String serverName) throws IOException {
		try (SSLSocket socket = tls(TestPki.trusting(TLS.pki.ca()), serverName)) {
			socket.getOutputStream()
				.write(("GET /shop/x HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return line(socket.getInputStream());
		}
	}

	/**
	 * Whether the peer closed (EOF, reset, or over TLS an end without close_notify) before 10 s;
	 * what it sent before (an alert) is skipped.
	 */
	private static boolean readUntilClosed(InputStream in) throws IOException {
		try {
			while (in.read() != -1) {
				// skip
			}
			return true;
		}
		catch (java.net.SocketException | javax.net.ssl.SSLException reset) {
			return true;
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int c; (c = in.read()) != '\n' && c != -1;) {
			if (c != '\r') {
				line.write(c);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	/** A TLS server with a certificate for db.example.com: says who it is, then echoes lines. */
	static final class TlsBackend implements AutoCloseable {

		private final SSLServerSocket server;

		TlsBackend() throws Exception {
			TestPki.Issued issued = BACKEND_PKI.issue("db.example.com", List.of("dns:db.example.com"));
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("db", issued.privateKey(), new char[0], new Certificate[] { issued.certificate() });
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, new char[0]);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
					InetAddress.getLoopbackAddress());
			acceptEach(server, TlsBackend::serve);
		}

		private static void serve(Socket socket) {
			try (socket) {
				OutputStream out = socket.getOutputStream();
				out.write("db backend\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				for (String line; !(line = line(in)).isEmpty();) {
					out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
			}
			catch (IOException ex) {
				// the client went away
			}
		}

		int port() {
			return server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			server.close();
		}

	}

	/** A raw TCP server that keeps every byte it receives. */
	static final class Recorder implements AutoCloseable {

		private final ServerSocket server;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		Recorder() throws IOException {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			acceptEach(server, this::record);
		}

		private void record(Socket socket) {
			try (socket; InputStream in = socket.getInputStream()) {
				byte[] buffer = new byte[8192];
				for (int n; (n = in.read(buffer)) != -1;) {
					synchronized (bytes) {
						bytes.write(buffer, 0, n);
					}
				}
			}
			catch (IOException ex) {
				// the client went away
			}
		}

		byte[] received() {
			synchronized (bytes) {
				return bytes.toByteArray();
			}
		}

		int port() {
			return server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			server.close();
		}

	}

	/** Serves each connection {@code server} accepts on a thread of its own, until it is closed. */
	private static void acceptEach(ServerSocket server, Consumer<Socket> serve) {
		daemon(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					daemon(() -> serve.accept(socket));
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	private static void daemon(Runnable work) {
		Thread thread = new Thread(work, "passthrough-test-server");
		thread.setDaemon(true);
		thread.start();
	}

}
