package io.meshgate.gateway.https;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.net.http.HttpResponse;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import io.micrometer.core.instrument.Counter;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.peer.PeerCertificates;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.RawClient;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Client certificates on a real HTTPS listener, with real TLS handshakes over real sockets and
 * certificates this test makes: {@code partners.example.com} requires a certificate of the partner
 * CA carrying {@code spiffe://example.com/partner}; {@code optional.example.com} asks for one of the
 * same CA; other names ask nothing. The upstream shows what it received: the gateway's
 * {@code x-forwarded-client-cert} (SANITIZE_SET) and, through a test-only filter, the request's
 * {@link Identity}'s peer principal.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false",
				"meshgate.store.path=target/stores/client-certificate-${random.uuid}", "meshgate.https.port=0",
				"meshgate.https.bundle=fallback", "meshgate.tls.reload-check-interval=100ms",
				"meshgate.edge.client-certificate.forward-details=SANITIZE_SET",
				"meshgate.admin.users[0].name=" + TestUsers.EDITOR, "meshgate.admin.users[0].password=" + TestUsers.EDITOR_HASH,
				"meshgate.admin.users[0].roles[0]=editor" })
@Import(ClientCertificateTest.PeerHeader.class)
class ClientCertificateTest {

	static final TestCertificates TLS = new TestCertificates();

	static final TestPki PARTNERS = TestPki.create("Partner CA");

	static final TestPki OTHERS = TestPki.create("Other CA");

	static final TestPki NEXT = TestPki.create("Next Partner CA");

	static final TestUpstream SHOP = TestUpstream.start("shop");

	static final Path DIR = tempDir();

	/** The test-only header the upstream sees the request's peer principal in. */
	static final String PEER_HEADER = "x-test-peer";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry properties) {
		Path bundle = TLS.bundleFiles("fallback", "gateway.example.com");
		properties.add("spring.ssl.bundle.pem.fallback.keystore.certificate", () -> bundle.resolve("fallback.crt").toString());
		properties.add("spring.ssl.bundle.pem.fallback.keystore.private-key", () -> bundle.resolve("fallback.key").toString());
		// a list binds from one property source only: every key of meshgate.https.hosts is here
		properties.add("meshgate.https.hosts[0].hostnames[0]", () -> "partners.example.com");
		properties.add("meshgate.https.hosts[0].client-certificate.mode", () -> "REQUIRE");
		properties.add("meshgate.https.hosts[0].client-certificate.subject-alt-names[0]",
				() -> "spiffe://example.com/partner");
		properties.add("meshgate.https.hosts[1].hostnames[0]", () -> "optional.example.com");
		properties.add("meshgate.https.hosts[1].client-certificate.mode", () -> "OPTIONAL");
		properties.add("meshgate.https.hosts[2].hostnames[0]", () -> "rotated.example.com");
		properties.add("meshgate.https.hosts[2].client-certificate.mode", () -> "REQUIRE");
		Path partnerCa = PARTNERS.writeCa(DIR);
		properties.add("meshgate.https.hosts[0].client-certificate.ca-certificates", partnerCa::toString);
		// inline PEM text
		properties.add("meshgate.https.hosts[1].client-certificate.ca-certificates", () -> read(partnerCa));
		Path rotated = DIR.resolve("rotated");
		copy(partnerCa, rotated);
		properties.add("meshgate.https.hosts[2].client-certificate.ca-certificates", rotated::toString);
	}

	@LocalServerPort
	int ingressPort;

	@LocalManagementPort
	int managementPort;

	@Autowired
	HttpsListener listener;

	@Autowired
	MeshRouting routing;

	@Autowired
	HttpsCertificates certificates;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void route() {
		routing.apply(new MeshConfig(List.of(Upstream.of("shop", SHOP.url())),
				List.of(Route.of("shop", "/shop/**", Backend.of("shop", 1)))));
	}

	@AfterEach
	void unroute() {
		routing.apply(MeshConfig.EMPTY);
	}

	@AfterAll
	static void stopUpstream() {
		SHOP.close();
	}

	@Test
	void requireAcceptsAVerifiedCertificateAndTheUpstreamGetsItsIdentityNeverTheClientsHeader() throws Exception {
		TestPki.Issued partner = PARTNERS.issue("partner", List.of("uri:spiffe://example.com/partner", "dns:partner.example.net"));
		double verified = count(ClientCertificateMetrics.HANDSHAKES, "verified");

		String answer = exchange("partners.example.com", partner, "/shop/verified",
				"x-forwarded-client-cert: By=spiffe://evil;Hash=00;URI=spiffe://example.com/admin\r\n");

		assertThat(answer).startsWith("HTTP/1.1 200");
		TestUpstream.Received received = received("/shop/verified");
		assertThat(received.headers().get("x-forwarded-client-cert")).isEqualTo("Hash="
				+ PeerCertificates.sha256(partner.certificate())
				+ ";Subject=\"CN=partner\";URI=spiffe://example.com/partner;DNS=partner.example.net");
		assertThat(received.headers().get(PEER_HEADER)).isEqualTo("spiffe://example.com/partner");
		assertThat(count(ClientCertificateMetrics.HANDSHAKES, "verified")).isEqualTo(verified + 1);
	}

	@Test
	void theIdentityReachesTheUpstreamOverHttp2Too() throws Exception {
		TestPki.Issued partner = PARTNERS.issue("partner", List.of("uri:spiffe://example.com/partner"));
		Http2SslContextSpec tls = Http2SslContextSpec.forClient()
			.configure(builder -> builder.keyManager(partner.privateKey(), partner.certificate()).trustManager(TLS.pki.ca()));
		reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
			.protocol(HttpProtocol.H2)
			.secure(spec -> spec.sslContext(tls).serverNames(new SNIHostName("partners.example.com")))
			.headers(headers -> headers.set("Host", "partners.example.com"));

		String version = client.get()
			.uri("https://127.0.0.1:" + listener.port() + "/shop/h2")
			.response((response, body) -> body.then(reactor.core.publisher.Mono.just(
					response.status().code() + " " + response.version())))
			.blockLast(Duration.ofSeconds(10));

		assertThat(version).isEqualTo("200 HTTP/2.0");
		assertThat(received("/shop/h2").headers().get(PEER_HEADER)).isEqualTo("spiffe://example.com/partner");
	}

	@Test
	void requireRefusesAClientWithoutCertificateInTheHandshake() {
		double failed = count(ClientCertificateMetrics.HANDSHAKES, "failed");

		assertRefused("partners.example.com", null, "/shop/no-certificate");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> count(ClientCertificateMetrics.HANDSHAKES, "failed") >= failed + 1);
	}

	@Test
	void requireRefusesACertificateOfAnotherCa() {
		double untrusted = count(ClientCertificateMetrics.NAME, "untrusted");

		assertRefused("partners.example.com",
				OTHERS.issue("partner", List.of("uri:spiffe://example.com/partner")), "/shop/other-ca");

		assertThat(count(ClientCertificateMetrics.NAME, "untrusted")).isEqualTo(untrusted + 1);
	}

	@Test
	void requireRefusesAnExpiredCertificate() {
		double expired = count(ClientCertificateMetrics.NAME, "expired");
		TestPki.Issued old = PARTNERS.issue("partner", List.of("uri:spiffe://example.com/partner"),
				Instant.now().minus(Duration.ofDays(10)), Duration.ofDays(1));

		assertRefused("partners.example.com", old, "/shop/expired");

		assertThat(count(ClientCertificateMetrics.NAME, "expired")).isEqualTo(expired + 1);
	}

	@Test
	void requireRefusesACertificateWhoseSanIsNotListed() {
		double mismatched = count(ClientCertificateMetrics.NAME, "subject_alt_name");

		assertRefused("partners.example.com",
				PARTNERS.issue("stranger", List.of("uri:spiffe://example.com/stranger", "dns:partner")), "/shop/stranger");

		assertThat(count(ClientCertificateMetrics.NAME, "subject_alt_name")).isEqualTo(mismatched + 1);
	}

	@Test
	void optionalLetsAClientWithoutCertificateThroughAnonymous() throws Exception {
		double anonymous = count(ClientCertificateMetrics.HANDSHAKES, "anonymous");

		String answer = exchange("optional.example.com", null, "/shop/anonymous",
				"X-Forwarded-Client-Cert: Hash=00;URI=spiffe://example.com/partner\r\n");

		assertThat(answer).startsWith("HTTP/1.1 200");
		TestUpstream.Received received = received("/shop/anonymous");
		assertThat(received.headers()).doesNotContainKeys("x-forwarded-client-cert", PEER_HEADER);
		assertThat(count(ClientCertificateMetrics.HANDSHAKES, "anonymous")).isEqualTo(anonymous + 1);
	}

	@Test
	void optionalStillVerifiesACertificateSentAndRefusesABadOne() throws Exception {
		TestPki.Issued partner = PARTNERS.issue("any-partner", List.of("dns:partner.example.net"));

		assertThat(exchange("optional.example.com", partner, "/shop/optional-verified", "")).startsWith("HTTP/1.1 200");
		assertThat(received("/shop/optional-verified").headers().get(PEER_HEADER)).isEqualTo("partner.example.net");

		assertRefused("optional.example.com", OTHERS.issue("intruder", List.of("dns:partner.example.net")),
				"/shop/optional-other-ca");
	}

	@Test
	void aRequestForAHostWithAnotherRequirementThanItsConnectionIsMisdirected() throws Exception {
		// a connection made, without a certificate, for a host that asks none, reused for partners
		String answer = exchange("open.example.com", null, "/shop/coalesced", "", "partners.example.com");

		assertThat(answer).startsWith("HTTP/1.1 421");
		assertThat(RawClient.body(answer)).contains("open a new connection").doesNotContain("partners");
		assertThat(SHOP.received()).noneMatch(r -> r.uri().equals("/shop/coalesced"));
		// the same host as the handshake's, with a port, passes
		TestPki.Issued partner = PARTNERS.issue("partner", List.of("uri:spiffe://example.com/partner"));
		assertThat(exchange("partners.example.com", partner, "/shop/same-host", "", "Partners.Example.com:443"))
			.startsWith("HTTP/1.1 200");
	}

	@Test
	void aClientSentHeaderNeverReachesTheUpstreamOverPlainHttpEither() {
		try (RawClient client = new RawClient(ingressPort)) {
			client.send("GET /shop/plain HTTP/1.1\r\nHost: partners.example.com\r\n"
					+ "x-forwarded-client-cert: Hash=00;URI=spiffe://example.com/partner\r\nConnection: close\r\n\r\n");
			assertThat(client.readUntilClosed(Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
		}
		assertThat(received("/shop/plain").headers()).doesNotContainKeys("x-forwarded-client-cert", PEER_HEADER);
	}

	@Test
	void aRotatedCaFileIsUsedForTheNextHandshakes() throws Exception {
		TestPki.Issued next = NEXT.issue("next", List.of("uri:spiffe://example.com/next"));
		assertRefused("rotated.example.com", next, "/shop/before-rotation");

		copy(NEXT.writeCa(Files.createTempDirectory(DIR, "next")), DIR.resolve("rotated"));

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			try {
				return exchange("rotated.example.com", next, "/shop/after-rotation", "").startsWith("HTTP/1.1 200");
			}
			catch (IOException refused) {
				return false;
			}
		});
		assertRefused("rotated.example.com", PARTNERS.issue("partner", List.of()), "/shop/old-ca");
	}

	@Test
	void aSourcesCertificateBringsItsRequirementForItsHostNames() throws Exception {
		// as the Kubernetes controller gives a Gateway listener's certificate with its frontend validation
		ServerCertificate kubernetes = TLS.certificate("gateway/shop/web/mtls/tls", "mtls.example.com", "mtls.example.com");
		certificates.replace("test", List.of(new ServerCertificate(kubernetes.name(), kubernetes.hostnames(),
				kubernetes.certificateChainPem(), kubernetes.privateKeyPem(),
				new ClientCertificate(ClientCertificate.Mode.REQUIRE, read(PARTNERS.writeCa(DIR)), List.of()))));
		try {
			assertRefused("mtls.example.com", null, "/shop/kubernetes-none");
			assertThat(exchange("mtls.example.com", PARTNERS.issue("any", List.of("dns:any.example.net")),
					"/shop/kubernetes-verified", "")).startsWith("HTTP/1.1 200");
			assertThat(received("/shop/kubernetes-verified").headers().get(PEER_HEADER)).isEqualTo("any.example.net");
		}
		finally {
			certificates.replace("test", List.of());
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theMeshEndpointShowsTheRequirementsByHostWithoutPem() {
		HttpResponse<String> response = GatewayClient.basic(managementPort, TestUsers.EDITOR, TestUsers.EDITOR_PASSWORD)
			.get("/actuator/mesh");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("BEGIN");
		List<Map<String, Object>> requirements = (List<Map<String, Object>>) JsonParserFactory.getJsonParser()
			.parseMap(response.body())
			.get("clientCertificates");
		assertThat(requirements).hasSize(3);
		assertThat(requirements.get(0)).containsEntry("name", "meshgate.https.hosts[0].client-certificate")
			.containsEntry("hostnames", List.of("partners.example.com"))
			.containsEntry("mode", "REQUIRE")
			.containsEntry("subjectAltNames", List.of("spiffe://example.com/partner"))
			.containsEntry("caSubjects", List.of(PARTNERS.ca().getSubjectX500Principal().getName()));
		assertThat(requirements.get(1)).containsEntry("mode", "OPTIONAL");
	}

	private void assertRefused(String serverName, TestPki.Issued certificate, String path) {
		assertThatThrownBy(() -> exchange(serverName, certificate, path, "")).isInstanceOf(IOException.class);
		assertThat(SHOP.received()).noneMatch(r -> r.uri().equals(path));
	}

	private String exchange(String serverName, TestPki.Issued certificate, String path, String headers)
			throws IOException {
		return exchange(serverName, certificate, path, headers, serverName);
	}

	/**
	 * One HTTP/1.1 request on a new TLS connection: SNI {@code serverName}, the client certificate
	 * (null: none), and the answer read until the gateway closes. A refused handshake fails with an
	 * {@link IOException} (TLS 1.3 refuses the client's certificate after the client's side of the
	 * handshake completed, so it may come at the first read).
	 */
	private String exchange(String serverName, TestPki.Issued certificate, String path, String headers, String host)
			throws IOException {
		SSLContext context = clientContext(certificate);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(serverName)));
			parameters.setApplicationProtocols(new String[] { "http/1.1" });
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return readAll(socket);
		}
	}

	private static String readAll(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		for (int n; (n = in.read(buffer)) >= 0;) {
			answer.write(buffer, 0, n);
		}
		if (answer.size() == 0) {
			throw new IOException("closed without an answer");
		}
		return answer.toString(StandardCharsets.ISO_8859_1);
	}

	/** Trusts the gateway's CA; offers {@code certificate} whatever CAs the server names. */
	private static SSLContext clientContext(TestPki.Issued certificate) {
		try {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("ca", TLS.pki.ca());
			TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(certificate == null ? null : new KeyManager[] { new OneKey(certificate) },
					trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static TestUpstream.Received received(String path) {
		return SHOP.received().stream().filter(r -> r.uri().equals(path)).findFirst().orElseThrow();
	}

	private double count(String name, String outcome) {
		Counter counter = meters.find(name).tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("meshgate-client-ca");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Replaced in one move, as a Secret update or a renewal replaces a file. */
	private static void copy(Path from, Path to) {
		try {
			Path temp = Files.createTempFile(DIR, "ca", ".tmp");
			Files.copy(from, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			Files.move(temp, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
					java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A key manager that always offers its one certificate, even to a server naming other CAs. */
	private static final class OneKey extends X509ExtendedKeyManager {

		private final TestPki.Issued issued;

		OneKey(TestPki.Issued issued) {
			this.issued = issued;
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return "client";
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			return "client";
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return new X509Certificate[] { issued.certificate() };
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return issued.privateKey();
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return new String[] { "client" };
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

	}

	/** Test only: the request's peer principal, as the edge set it, in a header to the upstream. */
	@TestConfiguration(proxyBeanMethods = false)
	static class PeerHeader {

		@Bean
		GlobalFilter peerHeader() {
			return (exchange, chain) -> {
				Identity identity = Identity.of(exchange);
				if (identity.peer() == null) {
					return chain.filter(exchange);
				}
				return chain.filter(exchange.mutate()
					.request(exchange.getRequest().mutate().header(PEER_HEADER, identity.peer().principal()).build())
					.build());
			};
		}

	}

}
