package io.meshgate.gateway.https;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.pem.PemContent;

import io.meshgate.policy.tls.PemFile;

/**
 * A {@link ClientCertificate} requirement loaded and ready for handshakes: its CAs read and parsed
 * (blocking: never on an event loop), its trust manager built. Compared by identity: a reload makes
 * a new one, and every certificate's context for it is rebuilt.
 *
 * @param name where it comes from, for logs: {@code default}, {@code hosts[0]}, or a source's
 * certificate name
 * @param fingerprint size and modification time of the CA file; 0 for inline PEM
 */
record ClientTrust(String name, ClientCertificate policy, ClientTrustManager trustManager, long fingerprint) {

	/**
	 * @throws IllegalArgumentException when the CAs cannot be read or hold no certificate; the
	 * message never quotes what was read
	 */
	static ClientTrust load(String name, ClientCertificate policy, ClientCertificateMetrics metrics) {
		List<X509Certificate> cas = cas(policy);
		if (cas.isEmpty()) {
			throw new IllegalArgumentException("caCertificates: " + (policy.inline() ? "(PEM)" : policy.caCertificates())
					+ " (expected: PEM text or a PEM file with at least one CERTIFICATE)");
		}
		return new ClientTrust(name, policy, new ClientTrustManager(cas, policy.subjectAltNames(), metrics),
				fingerprint(policy));
	}

	/** The requirement as given, trusting no CA: every certificate is refused, and with REQUIRE every client. */
	static ClientTrust refusingAll(String name, ClientCertificate policy, ClientCertificateMetrics metrics) {
		return new ClientTrust(name, policy, new ClientTrustManager(List.of(), List.of(), metrics), fingerprint(policy));
	}

	/** Asks for the client's certificate in a server context under construction. */
	SslContextBuilder applyTo(SslContextBuilder builder) {
		return builder.clientAuth(policy.mode() == ClientCertificate.Mode.REQUIRE ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
			.trustManager(trustManager);
	}

	ClientCertificateView view(List<String> hostnames) {
		return new ClientCertificateView(name, hostnames, policy.mode().name(), policy.subjectAltNames(),
				java.util.Arrays.stream(trustManager.getAcceptedIssuers())
					.map(ca -> ca.getSubjectX500Principal().getName())
					.toList());
	}

	/** Whether the CA file changed since this was loaded (size or modification time); never for inline PEM. */
	boolean changed() {
		return !policy.inline() && fingerprint(policy) != fingerprint;
	}

	private static List<X509Certificate> cas(ClientCertificate policy) {
		PemContent pem;
		if (policy.inline()) {
			try {
				pem = PemContent.of(policy.caCertificates());
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("caCertificates: (PEM) (expected: PEM text of CA certificates)");
			}
		}
		else if (policy.caCertificates().isBlank()) {
			return List.of();
		}
		else {
			pem = PemFile.read("caCertificates", path(policy.caCertificates()));
		}
		try {
			return pem == null ? List.of() : pem.getCertificates();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("caCertificates: " + (policy.inline() ? "(PEM)" : policy.caCertificates())
					+ " (expected: PEM CA certificates)");
		}
	}

	private static Path path(String caCertificates) {
		try {
			return Path.of(caCertificates);
		}
		catch (InvalidPathException ex) {
			throw new IllegalArgumentException("caCertificates: " + caCertificates + " (expected: PEM text or a file path)");
		}
	}

	private static long fingerprint(ClientCertificate policy) {
		if (policy.inline() || policy.caCertificates().isBlank()) {
			return 0;
		}
		Path path = Path.of(policy.caCertificates());
		try {
			return Files.getLastModifiedTime(path).toMillis() * 31 + Files.size(path);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** Identity: two loads of the same file are two requirements, each with its own contexts. */
	@Override
	public boolean equals(Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

	@Override
	public String toString() {
		return "ClientTrust[" + name + ", " + policy + "]";
	}

}
