package io.meshgate.policy.security;

import java.util.List;

/**
 * The identity a verified client certificate carries (Istio's {@code source.principal}, Envoy's
 * {@code x-forwarded-client-cert} fields). Only a certificate the listener verified against its
 * configured CAs becomes a peer identity; a client-sent header never does.
 *
 * @param principal the peer principal policies match: the first {@code spiffe://} URI SAN, else
 * the first URI SAN, else the first DNS SAN, else the subject
 * @param uriSans the certificate's URI subject alternative names, in certificate order
 * @param dnsSans the certificate's DNS subject alternative names, in certificate order
 * @param subject the subject distinguished name (RFC 2253)
 * @param sha256 the certificate's SHA-256 fingerprint, lower-case hex (XFCC's {@code Hash})
 */
public record PeerIdentity(String principal, List<String> uriSans, List<String> dnsSans, String subject,
		String sha256) {

	public PeerIdentity {
		uriSans = uriSans == null ? List.of() : List.copyOf(uriSans);
		dnsSans = dnsSans == null ? List.of() : List.copyOf(dnsSans);
		if (principal == null || principal.isEmpty()) {
			principal = defaultPrincipal(uriSans, dnsSans, subject);
		}
		if (principal == null || principal.isEmpty()) {
			throw new IllegalArgumentException("principal: none (expected: a URI or DNS SAN, or a subject)");
		}
	}

	private static String defaultPrincipal(List<String> uriSans, List<String> dnsSans, String subject) {
		for (String san : uriSans) {
			if (san.startsWith("spiffe://")) {
				return san;
			}
		}
		return !uriSans.isEmpty() ? uriSans.get(0) : !dnsSans.isEmpty() ? dnsSans.get(0) : subject;
	}

	/** A peer identity from its SANs and subject, the principal chosen as the record says. */
	public static PeerIdentity of(List<String> uriSans, List<String> dnsSans, String subject, String sha256) {
		return new PeerIdentity(null, uriSans, dnsSans, subject, sha256);
	}

}
