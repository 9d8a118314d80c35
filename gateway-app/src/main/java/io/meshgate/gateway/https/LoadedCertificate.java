package io.meshgate.gateway.https;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContextBuilder;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemContent;

import io.meshgate.policy.tls.TlsMaterial;

/**
 * A certificate checked and ready for handshakes: its Netty context offers HTTP/2 and HTTP/1.1
 * over ALPN, with the TLS versions and cipher suites of a {@link TlsProfile}.
 */
record LoadedCertificate(String name, String source, List<String> hostnames, X509Certificate leaf,
		ServedContexts contexts) {

	/** The source of the {@code meshgate.https.bundle} certificate, followed by the bundle's name. */
	static final String BUNDLE_SOURCE = "bundle:";

	/**
	 * Parses and checks one certificate: PEM with at least one CERTIFICATE, an unencrypted private
	 * key that fits the first one, valid at {@code now}.
	 * @throws IllegalArgumentException with the reason; it never quotes the key
	 */
	static LoadedCertificate load(String source, ServerCertificate certificate, Instant now, TlsProfile tls) {
		List<X509Certificate> chain = chain(certificate.certificateChainPem());
		X509Certificate leaf = chain.get(0);
		try {
			leaf.checkValidity(Date.from(now));
		}
		catch (CertificateExpiredException | CertificateNotYetValidException ex) {
			throw new IllegalArgumentException("certificateChainPem: " + leaf.getSubjectX500Principal().getName()
					+ " (expected: a certificate valid now, it is valid " + leaf.getNotBefore().toInstant() + " to "
					+ leaf.getNotAfter().toInstant() + ")");
		}
		PrivateKey key = fittingKey(certificate.privateKeyPem(), leaf);
		try {
			ServedContexts contexts = new ServedContexts(trust -> Http2SslContextSpec.forServer(key, chain)
				.configure(builder -> withTrust(tls.applyTo(builder), trust))
				.sslContext());
			return new LoadedCertificate(certificate.name(), source, certificate.hostnames(), leaf, contexts);
		}
		catch (SSLException | RuntimeException ex) {
			throw new IllegalArgumentException("certificateChainPem: " + leaf.getSubjectX500Principal().getName()
					+ " (expected: a certificate and key a TLS server can use; " + ex.getClass().getSimpleName() + ")");
		}
	}

	/**
	 * The default certificate from a Spring Boot SSL bundle: with the bundle's protocols and
	 * ciphers where it sets them ({@code spring.ssl.bundle.*.options}), the profile's otherwise.
	 */
	static LoadedCertificate fromBundle(String bundleName, SslBundle bundle, TlsProfile tls) {
		SslOptions options = bundle.getOptions();
		try {
			ServedContexts contexts = new ServedContexts(trust -> Http2SslContextSpec
				.forServer(bundle.getManagers().getKeyManagerFactory())
				.configure(builder -> {
					tls.applyTo(builder);
					if (options.getEnabledProtocols() != null) {
						builder.protocols(options.getEnabledProtocols());
					}
					if (options.getCiphers() != null) {
						builder.ciphers(SslOptions.asSet(options.getCiphers()));
					}
					withTrust(builder, trust);
				})
				.sslContext());
			return new LoadedCertificate(bundleName, BUNDLE_SOURCE + bundleName, List.of(), leaf(bundle), contexts);
		}
		catch (SSLException | RuntimeException ex) {
			throw new IllegalStateException("meshgate.https.bundle: " + bundleName + " (expected: a bundle with a key a TLS server can use; "
					+ ex.getMessage() + ")", ex);
		}
	}

	/** The provider for a handshake under {@code trust} (null: no client certificate asked for). */
	SslProvider provider(ClientTrust trust) {
		return contexts.provider(trust);
	}

	SslProvider provider() {
		return contexts.provider(null);
	}

	private static SslContextBuilder withTrust(SslContextBuilder builder, ClientTrust trust) {
		return trust == null ? builder : trust.applyTo(builder);
	}

	CertificateView view() {
		return new CertificateView(name, source, hostnames, leaf == null ? null : leaf.getSubjectX500Principal().getName(),
				leaf == null ? null : leaf.getNotAfter().toInstant());
	}

	private static List<X509Certificate> chain(String pem) {
		List<X509Certificate> chain;
		try {
			PemContent content = PemContent.of(pem);
			chain = content == null ? List.of() : content.getCertificates();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"certificateChainPem: no certificate (expected: PEM with at least one CERTIFICATE; " + ex.getMessage() + ")");
		}
		if (chain == null || chain.isEmpty()) {
			throw new IllegalArgumentException("certificateChainPem: no certificate (expected: PEM with at least one CERTIFICATE)");
		}
		return chain;
	}

	/**
	 * Why PEM text is not a certificate chain with the private key of its first certificate (as
	 * {@link #load} reads them; validity dates are checked there); null when it is.
	 */
	static String unreadable(String certificateChainPem, String privateKeyPem) {
		try {
			fittingKey(privateKeyPem, chain(certificateChainPem).get(0));
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
	}

	private static PrivateKey fittingKey(String pem, X509Certificate leaf) {
		PrivateKey key = privateKey(pem);
		if (!TlsMaterial.fits(key, leaf)) {
			throw new IllegalArgumentException("privateKeyPem: an " + key.getAlgorithm() + " key of another certificate (expected: the private key of "
					+ leaf.getSubjectX500Principal().getName() + ")");
		}
		return key;
	}

	/** The parser's message is left out: it might quote what it read. */
	private static PrivateKey privateKey(String pem) {
		PrivateKey key;
		try {
			PemContent content = PemContent.of(pem);
			key = content == null ? null : content.getPrivateKey();
		}
		catch (RuntimeException ex) {
			key = null;
		}
		if (key == null) {
			throw new IllegalArgumentException(
					"privateKeyPem: no readable key (expected: an unencrypted PEM private key: PKCS#8, PKCS#1 or SEC1)");
		}
		return key;
	}

	/** The certificate of the bundle's key, for the view; null when the store does not say. */
	private static X509Certificate leaf(SslBundle bundle) {
		try {
			KeyStore store = bundle.getStores().getKeyStore();
			String alias = bundle.getKey().getAlias();
			if (alias == null) {
				alias = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).findFirst().orElse(null);
			}
			return alias != null && store.getCertificate(alias) instanceof X509Certificate certificate ? certificate : null;
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

	private static boolean isKey(KeyStore store, String alias) {
		try {
			return store.isKeyEntry(alias);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

}
