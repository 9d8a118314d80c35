package io.meshgate.policy.security.peer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import io.meshgate.policy.security.PeerIdentity;

/**
 * What a verified certificate says about its holder: its URI and DNS subject alternative names
 * (in certificate order), its subject and its SHA-256 fingerprint, as {@link PeerIdentity} and
 * {@code x-forwarded-client-cert} carry them. Parsing happens once per TLS session
 * ({@link PeerConnection}), never per request.
 */
public final class PeerCertificates {

	private static final int DNS = 2;

	private static final int URI = 6;

	private PeerCertificates() {
	}

	/** The identity of a certificate the TLS layer verified. */
	public static PeerIdentity identity(X509Certificate certificate) {
		return PeerIdentity.of(uriSans(certificate), dnsSans(certificate),
				certificate.getSubjectX500Principal().getName(X500Principal.RFC2253), sha256(certificate));
	}

	public static List<String> uriSans(X509Certificate certificate) {
		return sans(certificate, URI);
	}

	public static List<String> dnsSans(X509Certificate certificate) {
		return sans(certificate, DNS);
	}

	/** Lower-case hex of the SHA-256 of the DER encoding (Envoy's XFCC {@code Hash}). */
	public static String sha256(X509Certificate certificate) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
			throw new IllegalStateException("cannot fingerprint a verified certificate", ex);
		}
	}

	private static List<String> sans(X509Certificate certificate, int type) {
		Collection<List<?>> entries;
		try {
			entries = certificate.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			return List.of();
		}
		if (entries == null) {
			return List.of();
		}
		List<String> names = new ArrayList<>(2);
		for (List<?> entry : entries) {
			if (entry.size() >= 2 && entry.get(0) instanceof Integer kind && kind == type
					&& entry.get(1) instanceof String name) {
				names.add(name);
			}
		}
		return List.copyOf(names);
	}

}
