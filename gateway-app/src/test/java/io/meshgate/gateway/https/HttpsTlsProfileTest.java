package io.meshgate.gateway.https;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS profile on the listener alone, with RSA certificates (the key type that static-RSA and
 * RSA-CBC suites need) from a source and as the bundle; and the profile's own checks.
 */
class HttpsTlsProfileTest {

	static final int TLS_RSA_WITH_AES_128_CBC_SHA = 0x002f;

	static final int TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009c;

	static final int TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xc013;

	static final int TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f;

	static final int TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030;

	static final TestCertificates TLS = new TestCertificates();

	final HttpHandler ok = (request, response) -> response
		.writeWith(Mono.just(response.bufferFactory().wrap("ok".getBytes(StandardCharsets.UTF_8))));

	HttpsListener listener;

	@AfterEach
	void stop() {
		if (listener != null) {
			listener.stop();
		}
	}

	@Test
	void rsaCertificatesServeNeitherStaticRsaNorCbcSuites() {
		HttpsCertificates certificates = start(TlsProfile.DEFAULT);
		certificates.replace("test", List.of(TLS.rsaSelfSigned("rsa", "rsa.example.com")));
		certificates.bundle(LoadedCertificate.fromBundle("fallback", rsaBundle(), certificates.tls()));

		for (String sniName : new String[] { "rsa.example.com", null }) {
			assertThat(answer(sniName, TLS_RSA_WITH_AES_128_CBC_SHA)).as("AES128-SHA to %s", sniName)
				.isEqualTo(RawClientHello.ALERT);
			assertThat(answer(sniName, TLS_RSA_WITH_AES_128_GCM_SHA256)).as("AES128-GCM-SHA256 to %s", sniName)
				.isEqualTo(RawClientHello.ALERT);
			assertThat(answer(sniName, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)).as("ECDHE-RSA-AES128-SHA to %s", sniName)
				.isEqualTo(RawClientHello.ALERT);
			assertThat(answer(sniName, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).as("ECDHE-RSA-AES128-GCM to %s", sniName)
				.isEqualTo(RawClientHello.SERVER_HELLO);
		}
	}

	@Test
	void configuredSuitesAreTheOnlyOnesServed() {
		HttpsCertificates certificates = start(
				new TlsProfile(List.of("TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")));
		certificates.replace("test", List.of(TLS.rsaSelfSigned("rsa", "rsa.example.com")));

		assertThat(answer("rsa.example.com", TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)).isEqualTo(RawClientHello.SERVER_HELLO);
		assertThat(answer("rsa.example.com", TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(RawClientHello.ALERT);
	}

	@Test
	void theDefaultsAreForwardSecretAeadOnly() {
		assertThat(TlsProfile.DEFAULT.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
		assertThat(TlsProfile.DEFAULT.ciphers()).allSatisfy(suite -> assertThat(suite)
			.matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
	}

	/**
	 * Start-up: without TLS settings the profile asks the JVM nothing (none of its TLS stack is
	 * loaded), and configured ones are checked without reading the trust store. In a JVM of its
	 * own: what this one has loaded depends on the tests before.
	 */
	@Test
	void theDefaultsLoadNoTlsStackAndConfiguredOnesNoTrustStore() throws Exception {
		Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
				"-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), ProfileAtStart.class.getName())
			.redirectErrorStream(true)
			.start();
		String log = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(java.waitFor()).as(log).isZero();
		String defaults = log.substring(0, log.indexOf(ProfileAtStart.CONFIGURED));
		assertThat(defaults).contains("[TLSv1.3, TLSv1.2]").doesNotContain("sun.security.ssl.");
		assertThat(log).contains("[TLSv1.2]").doesNotContain("sun.security.ssl.TrustStoreManager");
	}

	/** Builds the start's HTTPS properties, with nothing set, then with one TLS version set. */
	static final class ProfileAtStart {

		static final String CONFIGURED = "-- configured --";

		public static void main(String[] args) {
			System.out.println(new HttpsProperties(null, null, null, null, null, null).tls().protocols());
			System.out.println(CONFIGURED);
			System.out.println(new HttpsProperties(null, null, List.of("TLSv1.2"), null, null, null).tls().protocols());
		}

	}

	@Test
	void unknownVersionsAndSuitesAreRefusedWithTheirPlace() {
		assertThatThrownBy(() -> new TlsProfile(List.of("TLSv1.2", "TLSv9"), null))
			.hasMessage("meshgate.https.protocols[1]: TLSv9 (expected: a TLS version this JVM supports, such as TLSv1.3 or TLSv1.2)");
		assertThatThrownBy(() -> new TlsProfile(null, List.of("ECDHE-RSA-AES128-GCM-SHA256")))
			.hasMessage("meshgate.https.ciphers[0]: ECDHE-RSA-AES128-GCM-SHA256 (expected: a cipher suite this JVM "
					+ "supports, by its IANA name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
		assertThatThrownBy(() -> new HttpsProperties(8443, null, List.of("SSLv9"), List.of("nope"), null, null))
			.hasMessageContaining("meshgate.https.protocols[0]: SSLv9")
			.hasMessageContaining("meshgate.https.ciphers[0]: nope");
	}

	private HttpsCertificates start(TlsProfile tls) {
		HttpsCertificates certificates = new HttpsCertificates(Clock.systemUTC(), tls);
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
		factory.addServerCustomizers(new SniServerCustomizer(certificates, null, null));
		listener = new HttpsListener(factory, () -> ok, port -> {
		});
		listener.start();
		return certificates;
	}

	private int answer(String sniName, int cipherSuite) {
		try {
			return RawClientHello.answer(listener.port(), sniName, RawClientHello.TLS_1_2, cipherSuite);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static SslBundle rsaBundle() {
		ServerCertificate rsa = TLS.rsaSelfSigned("fallback", "fallback.example.com");
		return SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate(rsa.certificateChainPem()).withPrivateKey(rsa.privateKeyPem()), null));
	}

}
