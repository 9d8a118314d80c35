package io.meshgate.gateway.https;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Checking certificates and choosing one by SNI name, without a server. */
class HttpsCertificatesTest {

	static final TestCertificates TLS = new TestCertificates();

	final HttpsCertificates certificates = new HttpsCertificates(Clock.systemUTC());

	@Test
	void exactNameBeatsWildcardAndWildcardCoversOneLabel() {
		certificates.replace("gateway", List.of(TLS.certificate("wild", "wild", "*.example.com"),
				TLS.certificate("shop", "shop", "shop.example.com")));

		assertThat(selected("shop.example.com")).isEqualTo("shop");
		assertThat(selected("SHOP.Example.com.")).isEqualTo("shop");
		assertThat(selected("api.example.com")).isEqualTo("wild");
		assertThat(selected("a.b.example.com")).isNull();
		assertThat(selected("example.com")).isNull();
		assertThat(selected(null)).isNull();
	}

	@Test
	void aSourceDefaultServesUnknownNamesBeforeTheBundle() {
		certificates.bundle(bundle());
		assertThat(selected("unknown.test")).isEqualTo("fallback");

		certificates.replace("gateway", List.of(TLS.certificate("catch-all", "catch-all")));

		assertThat(selected("unknown.test")).isEqualTo("catch-all");
		assertThat(selected(null)).isEqualTo("catch-all");
		assertThat(certificates.list()).extracting(CertificateView::name).containsExactly("catch-all", "fallback");
	}

	@Test
	void theFirstSourceByNameKeepsAContestedName() {
		certificates.replace("b-source", List.of(TLS.certificate("from-b", "b", "shop.example.com")));
		certificates.replace("a-source", List.of(TLS.certificate("from-a", "a", "shop.example.com")));

		assertThat(selected("shop.example.com")).isEqualTo("from-a");

		certificates.replace("a-source", List.of());

		assertThat(selected("shop.example.com")).isEqualTo("from-b");
		assertThat(certificates.list()).extracting(CertificateView::source).containsExactly("b-source");
	}

	@Test
	void refusesEachBadCertificateWithItsReasonAndKeepsTheOthers() {
		Map<String, String> refused = certificates.replace("gateway",
				List.of(TLS.certificate("good", "good", "good.example.com"), TLS.expired("old", "old.example.com"),
						TLS.mismatched("wrong-key", "wrong.example.com"),
						new ServerCertificate("garbage", List.of("garbage.example.com"), "not a certificate", "no key"),
						TLS.certificate("good", "again", "again.example.com")));

		assertThat(refused).containsOnlyKeys("old", "wrong-key", "garbage", "good");
		assertThat(refused.get("old")).startsWith("certificateChainPem: CN=old").contains("expected: a certificate valid now");
		assertThat(refused.get("wrong-key")).isEqualTo("privateKeyPem: an EC key of another certificate (expected: the private key of CN=wrong-key)");
		assertThat(refused.get("garbage")).startsWith("certificateChainPem: no certificate (expected: PEM with at least one CERTIFICATE");
		assertThat(refused.get("good")).isEqualTo("name: good (expected: unique within the source)");
		assertThat(refused.values()).noneMatch(reason -> reason.contains("PRIVATE KEY"));
		assertThat(selected("good.example.com")).isEqualTo("good");
		assertThat(selected("old.example.com")).isNull();
	}

	@Test
	void aKeyThatIsNotPemIsRefusedWithoutQuotingIt() {
		ServerCertificate good = TLS.certificate("shop", "shop", "shop.example.com");

		Map<String, String> refused = certificates.replace("gateway", List.of(
				new ServerCertificate("shop", good.hostnames(), good.certificateChainPem(), "secret-key-material")));

		assertThat(refused.get("shop")).isEqualTo(
				"privateKeyPem: no readable key (expected: an unencrypted PEM private key: PKCS#8, PKCS#1 or SEC1)");
	}

	@Test
	void listShowsWhatIsServedWithoutKeys() {
		certificates.replace("gateway", List.of(TLS.certificate("shop", "shop.example.com", "shop.example.com")));

		CertificateView view = certificates.list().get(0);

		assertThat(view.name()).isEqualTo("shop");
		assertThat(view.source()).isEqualTo("gateway");
		assertThat(view.hostnames()).containsExactly("shop.example.com");
		assertThat(view.subject()).isEqualTo("CN=shop.example.com");
		assertThat(view.notAfter()).isAfter(java.time.Instant.now());
	}

	@Test
	void serverCertificateChecksNamesAndNeverPrintsTheKey() {
		ServerCertificate certificate = new ServerCertificate("shop", List.of("Shop.Example.com", "*.example.com"),
				"chain", "secret-key-material");

		assertThat(certificate.hostnames()).containsExactly("shop.example.com", "*.example.com");
		assertThat(certificate.toString()).isEqualTo("ServerCertificate[name=shop, hostnames=[shop.example.com, *.example.com]]");
		assertThatIllegalArgumentException().isThrownBy(() -> new ServerCertificate(" ", List.of(), "c", "k"))
			.withMessage("name: ' ' (expected: not blank)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerCertificate("shop", List.of("*.*.example.com"), "c", "k"))
			.withMessageStartingWith("hostnames: *.*.example.com (expected: a DNS name");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ServerCertificate("shop", List.of("shop.example.com:443"), "c", "k"))
			.withMessageStartingWith("hostnames: shop.example.com:443 (expected:");
		assertThatIllegalArgumentException().isThrownBy(() -> certificates.replace("bundle:x", List.of()))
			.withMessageStartingWith("source: 'bundle:x' (expected:");
	}

	private String selected(String hostname) {
		LoadedCertificate certificate = certificates.select(hostname);
		return certificate == null ? null : certificate.name();
	}

	private static LoadedCertificate bundle() {
		ServerCertificate fallback = TLS.certificate("fallback", "fallback");
		LoadedCertificate loaded = LoadedCertificate.load("x", fallback, java.time.Instant.now(), TlsProfile.DEFAULT);
		return new LoadedCertificate("fallback", LoadedCertificate.BUNDLE_SOURCE + "fallback", List.of(), loaded.leaf(),
				loaded.contexts());
	}

}
