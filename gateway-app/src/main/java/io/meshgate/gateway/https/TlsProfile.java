package io.meshgate.gateway.https;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * The TLS versions and cipher suites every certificate of the HTTPS listener is served with.
 * Defaults follow Mozilla's "intermediate" server profile (v5.7) with the ECDHE suites only:
 * TLS 1.3 and 1.2, forward secrecy and AEAD (AES-GCM, ChaCha20-Poly1305) on every connection,
 * which every client of the last ten years supports. Left out on purpose: static-RSA key
 * exchange ({@code TLS_RSA_WITH_*}: no forward secrecy), CBC suites (padding-oracle history),
 * TLS 1.1 and older, and DHE (slower, and no client that needs it speaks TLS 1.2 without ECDHE).
 * The server's order decides (the JDK prefers its own order on a server), so TLS 1.3 and
 * AES-128-GCM are chosen whenever the client offers them.
 *
 * @param protocols {@code meshgate.https.protocols}: JDK protocol names; default TLSv1.3, TLSv1.2
 * @param ciphers {@code meshgate.https.ciphers}: IANA names as the JDK spells them, TLS 1.3 suites
 * included; default the TLS 1.3 suites and Mozilla intermediate's ECDHE suites, in that order
 */
record TlsProfile(List<String> protocols, List<String> ciphers) {

	static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	static final List<String> DEFAULT_CIPHERS = List.of(
			// TLS 1.3 (always forward secret and AEAD)
			"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
			// TLS 1.2: Mozilla intermediate, ECDHE only
			"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	static final TlsProfile DEFAULT = new TlsProfile(null, null);

	TlsProfile {
		boolean defaultProtocols = protocols == null || protocols.isEmpty() || protocols.equals(DEFAULT_PROTOCOLS);
		boolean defaultCiphers = ciphers == null || ciphers.isEmpty() || ciphers.equals(DEFAULT_CIPHERS);
		protocols = defaultProtocols ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
		ciphers = defaultCiphers ? DEFAULT_CIPHERS : List.copyOf(ciphers);
		// Only what the user configured is checked against this JVM: the defaults are known names,
		// and a start without TLS settings (most of them) then loads none of the JDK's TLS stack.
		// A default suite this JVM lacks (a FIPS-restricted JDK) is left out when a context is built
		// (SupportedCipherSuiteFilter); the default versions, TLS 1.3 and 1.2, are in every Java 17+.
		List<String> errors = new ArrayList<>();
		if (!defaultProtocols || !defaultCiphers) {
			SSLParameters supported = supported();
			if (!defaultProtocols) {
				check("protocols", protocols, Set.of(supported.getProtocols()),
						"a TLS version this JVM supports, such as TLSv1.3 or TLSv1.2", errors);
			}
			if (!defaultCiphers) {
				check("ciphers", ciphers, Set.of(supported.getCipherSuites()),
						"a cipher suite this JVM supports, by its IANA name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
						errors);
			}
		}
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", errors));
		}
	}

	/** Sets the versions and suites on a server context under construction. */
	SslContextBuilder applyTo(SslContextBuilder builder) {
		return builder.protocols(protocols).ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE);
	}

	private static void check(String field, List<String> values, Set<String> known, String expected,
			List<String> errors) {
		for (int i = 0; i < values.size(); i++) {
			if (!known.contains(values.get(i))) {
				errors.add("meshgate.https." + field + "[" + i + "]: " + values.get(i) + " (expected: " + expected + ")");
			}
		}
	}

	/**
	 * What this JVM's TLS implementation supports. A context with no key or trust material answers
	 * it: the default context ({@code SSLContext.getDefault()}) would read the JDK's trust store
	 * (about 150 certificates) at every start for a list that does not depend on it.
	 */
	private static SSLParameters supported() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[0], new TrustManager[0], null);
			return context.getSupportedSSLParameters();
		}
		catch (NoSuchAlgorithmException | KeyManagementException ex) {
			throw new IllegalStateException("no TLS implementation in this JVM", ex);
		}
	}

}
