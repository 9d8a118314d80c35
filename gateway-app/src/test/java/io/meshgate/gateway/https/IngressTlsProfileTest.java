package io.meshgate.gateway.https;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.meshgate.gateway.MeshgateApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingress port's own TLS ({@code server.ssl.*}) serves the HTTPS listener's default versions
 * and suites unless the user chose some, with an RSA certificate (the key type static-RSA suites
 * need): in the application, and on a server factory for the explicit and bundle cases.
 */
@SpringBootTest(classes = MeshgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IngressTlsProfileTest {

	static final int TLS_RSA_WITH_AES_128_CBC_SHA = 0x002f;

	static final int TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009c;

	static final int TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f;

	static final int TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030;

	static final ServerCertificate RSA = new TestCertificates().rsaSelfSigned("ingress", "gateway.example.com");

	static final Path FILES = write(RSA);

	final HttpHandler ok = (request, response) -> response
		.writeWith(Mono.just(response.bufferFactory().wrap("ok".getBytes(StandardCharsets.UTF_8))));

	@LocalServerPort
	int port;

	WebServer server;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry properties) {
		properties.add("management.server.port", () -> "0");
		properties.add("meshgate.store.path", () -> FILES.resolve("store").toString());
		properties.add("server.ssl.certificate", () -> FILES.resolve("ingress.crt").toString());
		properties.add("server.ssl.certificate-private-key", () -> FILES.resolve("ingress.key").toString());
	}

	@AfterEach
	void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void ingressPortRefusesSuitesWithoutForwardSecrecy() {
		assertThat(answer(port, TLS_RSA_WITH_AES_128_CBC_SHA)).as("AES128-SHA").isEqualTo(RawClientHello.ALERT);
		assertThat(answer(port, TLS_RSA_WITH_AES_128_GCM_SHA256)).as("AES128-GCM-SHA256").isEqualTo(RawClientHello.ALERT);
		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).as("ECDHE-RSA-AES128-GCM-SHA256")
			.isEqualTo(RawClientHello.SERVER_HELLO);
	}

	@Test
	void explicitCiphersWin() {
		Ssl ssl = pemSsl();
		ssl.setCiphers(new String[] { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" });
		int port = start(ssl, null);

		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)).isEqualTo(RawClientHello.SERVER_HELLO);
		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(RawClientHello.ALERT);
	}

	@Test
	void bundleWithoutOptionsGetsTheProfile() {
		int port = start(Ssl.forBundle("ingress"), rsaBundle(SslOptions.NONE));

		assertThat(answer(port, TLS_RSA_WITH_AES_128_CBC_SHA)).isEqualTo(RawClientHello.ALERT);
		assertThat(answer(port, TLS_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(RawClientHello.ALERT);
		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(RawClientHello.SERVER_HELLO);
	}

	@Test
	void bundleOptionsWin() {
		SslOptions options = SslOptions.of(new String[] { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" }, null);
		int port = start(Ssl.forBundle("ingress"), rsaBundle(options));

		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)).isEqualTo(RawClientHello.SERVER_HELLO);
		assertThat(answer(port, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(RawClientHello.ALERT);
	}

	private int start(Ssl ssl, DefaultSslBundleRegistry bundles) {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
		factory.setSsl(ssl);
		factory.setSslBundles(bundles);
		new IngressTlsProfile().customize(factory);
		server = factory.getWebServer(ok);
		server.start();
		return server.getPort();
	}

	private static Ssl pemSsl() {
		Ssl ssl = new Ssl();
		ssl.setCertificate(FILES.resolve("ingress.crt").toString());
		ssl.setCertificatePrivateKey(FILES.resolve("ingress.key").toString());
		return ssl;
	}

	private static DefaultSslBundleRegistry rsaBundle(SslOptions options) {
		DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
		bundles.registerBundle("ingress", SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate(RSA.certificateChainPem()).withPrivateKey(RSA.privateKeyPem()), null),
				null, options));
		return bundles;
	}

	private static int answer(int port, int cipherSuite) {
		try {
			return RawClientHello.answer(port, null, RawClientHello.TLS_1_2, cipherSuite);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path write(ServerCertificate certificate) {
		try {
			Path dir = Files.createTempDirectory("meshgate-ingress-tls");
			Files.writeString(dir.resolve("ingress.crt"), certificate.certificateChainPem());
			Files.writeString(dir.resolve("ingress.key"), certificate.privateKeyPem());
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
