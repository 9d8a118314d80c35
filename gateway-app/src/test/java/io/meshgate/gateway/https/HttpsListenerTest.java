package io.meshgate.gateway.https;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.observe.AccessLog;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The HTTPS listener on a real gateway: certificates chosen by SNI, changed at runtime, HTTP/2 and
 * HTTP/1.1, routed to a real upstream, while the plain ingress port keeps serving; TLS 1.2+ with
 * forward-secret AEAD suites only, no client-started renegotiation. One context for
 * all of it; each test gives its certificates under its own source and takes them back.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/https-${random.uuid}", "meshgate.https.port=0",
				"meshgate.https.bundle=fallback", "server.forward-headers-strategy=native",
				"server.max-http-request-header-size=4KB", "meshgate.ingress.request-header-timeout=1s",
				"meshgate.admin.users[0].name=" + TestUsers.EDITOR, "meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH,
				"meshgate.admin.users[0].roles[0]=editor" })
class HttpsListenerTest {

	static final int TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xc009;

	static final int TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xc02b;

	static final TestCertificates TLS = new TestCertificates();

	static final TestUpstream SHOP = TestUpstream.start("shop");

	static final String SOURCE = "test";

	@DynamicPropertySource
	static void bundle(DynamicPropertyRegistry properties) {
		Path dir = TLS.bundleFiles("fallback", "fallback.example.com");
		properties.add("spring.ssl.bundle.pem.fallback.keystore.certificate", () -> dir.resolve("fallback.crt").toString());
		properties.add("spring.ssl.bundle.pem.fallback.keystore.private-key", () -> dir.resolve("fallback.key").toString());
		properties.add("spring.ssl.bundle.pem.fallback.reload-on-update", () -> "true");
		properties.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
	}

	@LocalServerPort
	int ingressPort;

	@LocalManagementPort
	int managementPort;

	@Autowired
	HttpsListener listener;

	@Autowired
	HttpsCertificates certificates;

	@Autowired
	MeshRouting routing;

	@Autowired
	MeterRegistry meters;

	final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

	@BeforeEach
	void route() {
		accessLines.start();
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLines);
		routing.apply(new MeshConfig(List.of(Upstream.of("shop", SHOP.url())),
				List.of(Route.of("shop", "/shop/**", Backend.of("shop", 1)))));
	}

	@AfterEach
	void takeCertificatesBack() {
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLines);
		certificates.replace(SOURCE, List.of());
		routing.apply(MeshConfig.EMPTY);
	}

	@AfterAll
	static void stopUpstream() {
		SHOP.close();
	}

	@Test
	void eachHostGetsItsOwnCertificateOverHttp2AndReachesTheUpstream() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com"),
				TLS.certificate("api", "api.example.com", "api.example.com")));

		HttpResponse<String> shop = get(client("shop.example.com", HttpClient.Version.HTTP_2), "/shop/orders");
		HttpResponse<String> api = get(client("api.example.com", HttpClient.Version.HTTP_1_1), "/shop/orders");

		assertThat(shop.statusCode()).isEqualTo(200);
		assertThat(shop.body()).isEqualTo("shop");
		assertThat(shop.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(servedSubject(shop)).isEqualTo("CN=shop.example.com");
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(servedSubject(api)).isEqualTo("CN=api.example.com");
		assertThat(SHOP.received().get(SHOP.received().size() - 1).uri()).isEqualTo("/shop/orders");
		// the same access log as on the ingress port, with the client's address
		await().untilAsserted(() -> assertThat(accessLines.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy(line -> assertThat(line).contains("\"path\":\"/shop/orders\"", "\"route\":\"shop\"",
					"\"status\":200", "\"client\":\"127.0.0.1\"")));
	}

	/**
	 * RFC 8441 on the HTTPS listener: a client that negotiated h2 by ALPN opens a WebSocket with an
	 * extended CONNECT on an HTTP/2 stream (Reactor Netty's client does so only once the listener
	 * announced {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}), and frames pass both ways to an
	 * upstream asked with an HTTP/1.1 upgrade.
	 */
	@Test
	void aWebSocketOverAnHttp2ExtendedConnectPassesFramesBothWays() {
		DisposableServer upstream = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.ws("/ws/**",
					(in, out) -> out.sendString(in.receive().asString().map(text -> "echo: " + text))))
			.bindNow(Duration.ofSeconds(10));
		try {
			routing.apply(new MeshConfig(List.of(Upstream.of("ws", "http://127.0.0.1:" + upstream.port())),
					List.of(Route.of("ws", "/ws/**", Backend.of("ws", 1)))));
			AtomicBoolean onAnHttp2Stream = new AtomicBoolean();
			List<String> echoed = reactor.netty.http.client.HttpClient.create()
				.protocol(HttpProtocol.H2)
				.secure(spec -> spec.sslContext(
						Http2SslContextSpec.forClient().configure(builder -> builder.trustManager(TLS.pki.ca()))))
				.websocket()
				.uri("wss://127.0.0.1:" + listener.port() + "/ws/chat")
				.handle((in, out) -> {
					in.withConnection(connection -> onAnHttp2Stream.set(connection.channel() instanceof Http2StreamChannel));
					return out.sendString(Flux.just("one", "two")).then().thenMany(in.receive().asString().take(2));
				})
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(echoed).containsExactly("echo: one", "echo: two");
			assertThat(onAnHttp2Stream).as("the session ran on an HTTP/2 stream").isTrue();
		}
		finally {
			upstream.disposeNow();
		}
	}

	@Test
	void theIngressServerSettingsApply() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));
		HttpClient client = client("shop.example.com", HttpClient.Version.HTTP_1_1);

		// server.max-http-request-header-size=4KB, half of Reactor Netty's default
		HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(URI.create(url("/shop/large")))
			.header("x-large", "x".repeat(6_000))
			.build(), HttpResponse.BodyHandlers.ofString());
		// server.forward-headers-strategy=native: the client address comes from X-Forwarded-For
		HttpResponse<String> forwarded = client.send(
				HttpRequest.newBuilder(URI.create(url("/shop/forwarded"))).header("X-Forwarded-For", "203.0.113.7").build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(tooLarge.statusCode()).isEqualTo(431);
		assertThat(forwarded.statusCode()).isEqualTo(200);
		await().untilAsserted(() -> assertThat(accessLines.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy(line -> assertThat(line).contains("\"path\":\"/shop/forwarded\"", "\"client\":\"203.0.113.7\"")));
	}

	@Test
	void anExactNameBeatsAWildcardOfOneLabel() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("wildcard", "wildcard.example.com", "*.example.com"),
				TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		assertThat(servedSubject(get(client("shop.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=shop.example.com");
		assertThat(servedSubject(get(client("cart.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=wildcard.example.com");
		assertThat(servedSubject(get(client("eu.cart.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=fallback.example.com");
	}

	@Test
	void theBundleServesUnknownNamesAndClientsWithoutSni() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		assertThat(servedSubject(get(client("unknown.test", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=fallback.example.com");
		HttpResponse<String> withoutSni = get(client(null, HttpClient.Version.HTTP_2), "/shop/");
		assertThat(withoutSni.statusCode()).isEqualTo(200);
		assertThat(servedSubject(withoutSni)).isEqualTo("CN=fallback.example.com");
	}

	@Test
	void aRenewedBundleIsServedWithoutRestart() throws Exception {
		BigInteger before = served(get(client(null, HttpClient.Version.HTTP_2), "/shop/")).getSerialNumber();

		TLS.bundleFiles("fallback", "fallback.example.com");

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> !served(get(client(null, HttpClient.Version.HTTP_2), "/shop/")).getSerialNumber().equals(before));
		assertThat(servedSubject(get(client("unknown.test", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=fallback.example.com");
	}

	@Test
	void replacedCertificatesServeTheNextHandshakeWhileOpenConnectionsKeepTheirs() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop-v1.example.com", "shop.example.com")));
		HttpClient open = client("shop.example.com", HttpClient.Version.HTTP_2);
		assertThat(servedSubject(get(open, "/shop/"))).isEqualTo("CN=shop-v1.example.com");

		Map<String, String> refused = certificates.replace(SOURCE,
				List.of(TLS.certificate("shop", "shop-v2.example.com", "shop.example.com")));

		assertThat(refused).isEmpty();
		assertThat(servedSubject(get(client("shop.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=shop-v2.example.com");
		HttpResponse<String> onTheOpenConnection = get(open, "/shop/");
		assertThat(onTheOpenConnection.statusCode()).isEqualTo(200);
		assertThat(servedSubject(onTheOpenConnection)).isEqualTo("CN=shop-v1.example.com");
	}

	@Test
	void aBadCertificateIsRefusedWithItsReasonWhileTheOthersServe() throws Exception {
		Map<String, String> refused = certificates.replace(SOURCE,
				List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com"),
						TLS.mismatched("api", "api.example.com")));

		assertThat(refused).containsOnlyKeys("api");
		assertThat(refused.get("api")).contains("expected: the private key of CN=api");
		assertThat(servedSubject(get(client("shop.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=shop.example.com");
		assertThat(servedSubject(get(client("api.example.com", HttpClient.Version.HTTP_2), "/shop/")))
			.isEqualTo("CN=fallback.example.com");
	}

	@Test
	void theIngressPortServesPlainHttpAtTheSameTime() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		HttpResponse<String> plain = new GatewayClient(ingressPort).get("/shop/plain");
		HttpResponse<String> secure = get(client("shop.example.com", HttpClient.Version.HTTP_2), "/shop/secure");

		assertThat(plain.statusCode()).isEqualTo(200);
		assertThat(plain.body()).isEqualTo("shop");
		assertThat(secure.statusCode()).isEqualTo(200);
		assertThat(listener.port()).isNotEqualTo(ingressPort);
		assertThatThrownBy(() -> HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + ingressPort + "/shop/")).build(),
					HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(SSLException.class);
	}

	@Test
	void eachCertificateReportsTheTimeItHasLeft() {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		// TestPki certificates are valid for 7 days from an hour ago
		assertThat(meters.get(HttpsCertificateMetrics.EXPIRY).tags("name", "shop", "source", SOURCE).gauge().value())
			.isBetween((double) Duration.ofDays(6).toSeconds(), (double) Duration.ofDays(7).toSeconds());
		assertThat(meters.find(HttpsCertificateMetrics.EXPIRY).tags("source", "bundle:fallback").gauge()).isNotNull();

		certificates.replace(SOURCE, List.of());

		assertThat(meters.find(HttpsCertificateMetrics.EXPIRY).tags("source", SOURCE).gauge()).isNull();
	}

	@Test
	void theMeshEndpointShowsTheCertificatesWithoutKeys() {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		HttpResponse<String> response = GatewayClient.basic(managementPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD).get("/actuator/mesh");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN");
		List<Object> served = (List<Object>) JsonParserFactory.getJsonParser().parseMap(response.body()).get("certificates");
		assertThat(served).hasSize(2);
		Map<String, Object> shop = (Map<String, Object>) served.get(0);
		assertThat(shop).containsOnlyKeys("name", "source", "hostnames", "subject", "notAfter")
			.containsEntry("name", "shop")
			.containsEntry("source", SOURCE)
			.containsEntry("hostnames", List.of("shop.example.com"))
			.containsEntry("subject", "CN=shop.example.com");
		assertThat((Map<String, Object>) served.get(1)).containsEntry("name", "fallback")
			.containsEntry("source", "bundle:fallback")
			.containsEntry("hostnames", List.of())
			.containsEntry("subject", "CN=fallback.example.com");
	}

	@Test
	void onlyForwardSecretAeadSuitesOfTls12AndLaterAreServed() throws Exception {
		certificates.replace(SOURCE, List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));
		int port = listener.port();

		// (HttpsTlsProfileTest: the same with an RSA certificate and an RSA bundle)
		// EC certificates, from a source and from the bundle (no SNI): the same profile
		for (String sniName : new String[] { "shop.example.com", null }) {
			assertThat(RawClientHello.answer(port, sniName, RawClientHello.TLS_1_2, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA))
				.as("CBC to %s", sniName)
				.isEqualTo(RawClientHello.ALERT);
			assertThat(RawClientHello.answer(port, sniName, RawClientHello.TLS_1_1, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA))
				.as("TLS 1.1 to %s", sniName)
				.isEqualTo(RawClientHello.ALERT);
			assertThat(RawClientHello.answer(port, sniName, RawClientHello.TLS_1_2,
					TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256))
				.as("ECDHE-GCM to %s", sniName)
				.isEqualTo(RawClientHello.SERVER_HELLO);
		}
	}

	@Test
	void aModernClientGetsTls13AndATls12ClientTheServersFirstSuite() throws Exception {
		try (SSLSocket modern = socket()) {
			modern.startHandshake();
			assertThat(modern.getSession().getProtocol()).isEqualTo("TLSv1.3");
		}
		try (SSLSocket tls12 = socket()) {
			tls12.setEnabledProtocols(new String[] { "TLSv1.2" });
			tls12.setEnabledCipherSuites(new String[] { "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
					"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" });
			tls12.startHandshake();
			assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
			// the server's order, not the client's
			assertThat(tls12.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
		}
	}

	@Test
	void renegotiationStartedByTheClientIsRefused() throws Exception {
		try (SSLSocket tls12 = socket()) {
			tls12.setEnabledProtocols(new String[] { "TLSv1.2" });
			tls12.startHandshake();

			// a second handshake on the same connection: the JDK client sends a new ClientHello
			tls12.startHandshake();

			assertThatThrownBy(() -> {
				tls12.getOutputStream()
					.write("GET /shop/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				tls12.getOutputStream().flush();
				byte[] answer = tls12.getInputStream().readNBytes(12);
				if (answer.length > 0) {
					throw new AssertionError("answered after renegotiating: " + new String(answer, StandardCharsets.US_ASCII));
				}
			}).isInstanceOf(IOException.class);
		}
	}

	@Test
	void headersTrickledOverHttp11HitTheIngressHeaderDeadline() throws Exception {
		double before = headerTimeouts();
		SSLSocket http11 = socket();
		SSLParameters parameters = http11.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { "http/1.1" });
		http11.setSSLParameters(parameters);
		http11.startHandshake();
		assertThat(http11.getApplicationProtocol()).isEqualTo("http/1.1");

		try (RawClient client = new RawClient(http11);
				RawClient.Trickle trickle = client.trickle("GET /shop/slow HTTP/1.1\r\nHost: shop.example.com\r\nX-Slow: ",
						Duration.ofMillis(200))) {
			assertThat(client.readUntilClosed(Duration.ofSeconds(5))).as("closed within 5 s, nothing answered").isEmpty();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> headerTimeouts() == before + 1);
	}

	private double headerTimeouts() {
		var counter = meters.find(MeshMetrics.INGRESS_TIMEOUTS).tags("phase", "headers").counter();
		return counter == null ? 0 : counter.count();
	}

	private SSLSocket socket() throws Exception {
		SSLSocket socket = (SSLSocket) TestPki.trusting(TLS.pki.ca())
			.getSocketFactory()
			.createSocket("127.0.0.1", listener.port());
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** A new client: its first request makes a new connection, so the handshake shows what is served now. */
	private static HttpClient client(String sniName, HttpClient.Version version) throws Exception {
		SSLContext trusting = TestPki.trusting(TLS.pki.ca());
		// the context's defaults: the JDK client offers h2 only when the TLS versions are set
		SSLParameters parameters = trusting.getDefaultSSLParameters();
		if (sniName != null) {
			parameters.setServerNames(List.of(new SNIHostName(sniName)));
		}
		return HttpClient.newBuilder()
			.sslContext(trusting)
			.sslParameters(parameters)
			.version(version)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/** To the loopback address: the JDK client then sends no SNI of its own, only the one set above. */
	private HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String url(String path) {
		return "https://127.0.0.1:" + listener.port() + path;
	}

	private static String servedSubject(HttpResponse<?> response) throws Exception {
		return served(response).getSubjectX500Principal().getName();
	}

	private static X509Certificate served(HttpResponse<?> response) throws Exception {
		return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
	}

}
