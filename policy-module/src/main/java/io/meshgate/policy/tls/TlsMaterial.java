package io.meshgate.policy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * The PEM files of an upstream's TLS policy, read and checked: CA certificates present, the
 * client certificate valid now and its private key the one that fits it. Files are read within
 * {@link PemFile}'s bounds and parsed by Spring Boot ({@link PemContent}); reading blocks, so this is never built on an event-loop thread.
 */
public record TlsMaterial(List<X509Certificate> caCertificates, List<X509Certificate> certificateChain,
		PrivateKey privateKey, long fingerprint) {

	public static TlsMaterial load(TlsPolicy policy, Instant now) {
		List<X509Certificate> cas = certificates("tls.caCertificates", policy.caCertificates());
		if (cas.isEmpty()) {
			throw new IllegalArgumentException("tls.caCertificates: " + policy.caCertificates()
					+ " (expected: a PEM file with at least one CERTIFICATE)");
		}
		if (policy.mode() != TlsPolicy.Mode.MUTUAL) {
			return new TlsMaterial(cas, List.of(), null, fingerprint(policy));
		}
		List<X509Certificate> chain = certificates("tls.certificate", policy.certificate());
		if (chain.isEmpty()) {
			throw new IllegalArgumentException(
					"tls.certificate: " + policy.certificate() + " (expected: a PEM file with a CERTIFICATE)");
		}
		try {
			chain.get(0).checkValidity(java.util.Date.from(now));
		}
		catch (CertificateExpiredException | CertificateNotYetValidException ex) {
			throw new IllegalArgumentException("tls.certificate: " + policy.certificate()
					+ " (expected: a certificate valid now, it is valid " + chain.get(0).getNotBefore() + " to "
					+ chain.get(0).getNotAfter() + ")");
		}
		PrivateKey key = privateKey(policy.privateKey());
		if (!fits(key, chain.get(0))) {
			throw new IllegalArgumentException("tls.privateKey: " + policy.privateKey()
					+ " (expected: the private key of the certificate " + policy.certificate() + ")");
		}
		return new TlsMaterial(cas, chain, key, fingerprint(policy));
	}

	/** Size and modification time of the files: what a rotation changes. */
	static long fingerprint(TlsPolicy policy) {
		long hash = 17;
		for (Path path : new Path[] { policy.caCertificates(), policy.certificate(), policy.privateKey() }) {
			if (path == null) {
				continue;
			}
			try {
				hash = hash * 31 + Files.getLastModifiedTime(path).toMillis();
				hash = hash * 31 + Files.size(path);
			}
			catch (IOException ex) {
				hash = hash * 31 - 1;
			}
		}
		return hash;
	}

	public X509Certificate certificate() {
		return certificateChain.isEmpty() ? null : certificateChain.get(0);
	}

	private static List<X509Certificate> certificates(String field, Path path) {
		PemContent pem = PemFile.read(field, path);
		try {
			return pem == null ? List.of() : pem.getCertificates();
		}
		catch (RuntimeException ex) {
			// the parser's message is left out: it might quote what it read
			throw new IllegalArgumentException(field + ": " + path + " (expected: a PEM file of certificates)");
		}
	}

	private static PrivateKey privateKey(Path path) {
		PemContent pem = PemFile.read("tls.privateKey", path);
		PrivateKey key;
		try {
			key = pem == null ? null : pem.getPrivateKey();
		}
		catch (RuntimeException ex) {
			key = null;
		}
		if (key == null) {
			throw new IllegalArgumentException(
					"tls.privateKey: " + path + " (expected: a PEM file with an unencrypted PRIVATE KEY)");
		}
		return key;
	}

	/** Whether {@code key} is the certificate's: signs a probe with it and verifies with the certificate. */
	public static boolean fits(PrivateKey key, X509Certificate certificate) {
		String algorithm = switch (key.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC" -> "SHA256withECDSA";
			case "Ed25519", "EdDSA" -> "Ed25519";
			default -> null;
		};
		if (algorithm == null || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())
				&& !(algorithm.equals("Ed25519") && certificate.getPublicKey().getAlgorithm().startsWith("Ed"))) {
			return false;
		}
		try {
			byte[] probe = "meshgate".getBytes();
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(probe);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(certificate.getPublicKey());
			verifier.update(probe);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

}
