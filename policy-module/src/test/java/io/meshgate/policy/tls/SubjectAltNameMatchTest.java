package io.meshgate.policy.tls;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.tls.TlsPolicy.Mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Which server certificates an upstream's {@code subjectAltNames} accept, wildcards included (one
 * label, never the apex, either side), and which name goes out as SNI.
 */
class SubjectAltNameMatchTest {

	static final TestPki PKI = TestPki.create("SAN Match CA");

	@Test
	void certificateWildcardCoversExactlyOneLabel() {
		X509Certificate wildcard = certificate("dns:*.example.com");

		accepts(List.of("abc.example.com"), wildcard);
		accepts(List.of("ABC.Example.com"), wildcard);
		refuses(List.of("example.com"), wildcard);
		refuses(List.of("a.b.example.com"), wildcard);
		refuses(List.of("abc.example.org"), wildcard);
	}

	@Test
	void expectedWildcardCoversOneLabelOrTheSameWildcard() {
		accepts(List.of("*.example.com"), certificate("dns:abc.example.com"));
		accepts(List.of("*.example.com"), certificate("dns:*.example.com"));
		refuses(List.of("*.example.com"), certificate("dns:example.com"));
		refuses(List.of("*.example.com"), certificate("dns:a.b.example.com"));
	}

	@Test
	void urisMatchExactlyAndNeverAsDnsNames() {
		X509Certificate spiffe = certificate("uri:spiffe://abc.example.com/test-identity");

		accepts(List.of("spiffe://abc.example.com/test-identity"), spiffe);
		refuses(List.of("spiffe://def.example.com/test-identity"), spiffe);
		refuses(List.of("abc.example.com"), spiffe);
	}

	@Test
	void sniIsTheExplicitNameElseTheFirstPlainDnsName() {
		Path ca = Path.of("/certs/ca.crt");
		assertThat(new TlsPolicy(Mode.SIMPLE, ca, null, null, List.of("other.example.com"), "abc.example.com").serverName())
			.isEqualTo("abc.example.com");
		assertThat(new TlsPolicy(Mode.SIMPLE, ca, null, null,
				List.of("spiffe://x/y", "*.example.com", "abc.example.com"), null).serverName()).isEqualTo("abc.example.com");
		assertThat(new TlsPolicy(Mode.SIMPLE, ca, null, null, List.of("spiffe://x/y"), null).serverName()).isNull();
		for (String invalid : List.of("*.example.com", "10.0.0.1", "abc.example.com:443", "")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new TlsPolicy(Mode.SIMPLE, ca, null, null, List.of(), invalid))
				.withMessage("tls.sni: " + invalid + " (expected: a DNS name such as orders.shop.svc, without wildcard or port)");
		}
	}

	private static X509Certificate certificate(String san) {
		return PKI.issue("backend", List.of(san)).certificate();
	}

	private static SubjectAltNameTrustManager trust(List<String> expected) {
		return new SubjectAltNameTrustManager(List.of(PKI.ca()), expected, () -> {
		});
	}

	private static void accepts(List<String> expected, X509Certificate certificate) {
		assertThatNoException().as(expected + " accepts " + certificate.getSubjectX500Principal())
			.isThrownBy(() -> trust(expected).checkServerTrusted(new X509Certificate[] { certificate }, "ECDHE_ECDSA"));
	}

	private static void refuses(List<String> expected, X509Certificate certificate) {
		assertThatExceptionOfType(CertificateException.class).as(expected + " refuses")
			.isThrownBy(() -> trust(expected).checkServerTrusted(new X509Certificate[] { certificate }, "ECDHE_ECDSA"));
	}

}
