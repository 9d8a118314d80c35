package io.meshgate.policy.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS from the gateway to an upstream (Istio's {@code DestinationRule.trafficPolicy.tls}):
 * {@code tls: {mode: MUTUAL, certificate: /certs/gw.crt, privateKey: /certs/gw.key,
 * caCertificates: /certs/ca.crt, subjectAltNames: [spiffe://cluster.local/ns/shop/sa/orders]}}.
 *
 * @param mode {@code DISABLE} (default: plain HTTP), {@code SIMPLE} (verify the server against
 * {@code caCertificates}) or {@code MUTUAL} (also present {@code certificate} + {@code privateKey})
 * @param caCertificates PEM file of the CAs the server certificate must chain to; required for
 * SIMPLE and MUTUAL
 * @param certificate PEM file of the gateway's client certificate chain; MUTUAL only
 * @param privateKey PEM file of its private key; MUTUAL only
 * @param subjectAltNames the server certificate must carry one of these DNS or URI (SPIFFE) SANs;
 * default: any certificate the CAs signed. A DNS name {@code *.example.com} on either side stands
 * for exactly one label (never the apex), as RFC 6125 reads certificate wildcards
 * @param sni the server name sent in the handshake (RFC 6066), a DNS name; it selects the server's
 * certificate and is not checked against it (that is {@code subjectAltNames}' job). Default: the
 * first DNS name of {@code subjectAltNames} that is not a wildcard, else none
 */
public record TlsPolicy(Mode mode, Path caCertificates, Path certificate, Path privateKey,
		List<String> subjectAltNames, String sni) {

	public enum Mode {
		DISABLE, SIMPLE, MUTUAL
	}

	public static final TlsPolicy DISABLED = new TlsPolicy(Mode.DISABLE, null, null, null, null, null);

	public TlsPolicy {
		mode = mode == null ? Mode.DISABLE : mode;
		subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
		if (mode != Mode.DISABLE && caCertificates == null) {
			throw new IllegalArgumentException(
					"tls.caCertificates: null (expected: a PEM file of CA certificates with mode " + mode + ")");
		}
		if (mode == Mode.MUTUAL && (certificate == null || privateKey == null)) {
			throw new IllegalArgumentException("tls." + (certificate == null ? "certificate" : "privateKey")
					+ ": null (expected: a PEM file with mode MUTUAL)");
		}
		if (mode != Mode.MUTUAL && (certificate != null || privateKey != null)) {
			throw new IllegalArgumentException("tls.certificate: " + certificate
					+ " (expected: a client certificate only with mode MUTUAL)");
		}
		for (String san : subjectAltNames) {
			if (san == null || san.isBlank()) {
				throw new IllegalArgumentException("tls.subjectAltNames: " + subjectAltNames
						+ " (expected: DNS names or URIs such as spiffe://cluster.local/ns/shop/sa/orders)");
			}
		}
		if (sni != null && !ServerName.valid(sni)) {
			throw new IllegalArgumentException(
					"tls.sni: " + sni + " (expected: a DNS name such as orders.shop.svc, without wildcard or port)");
		}
	}

	/** The server name to send: {@code sni}, else the first plain DNS name of {@code subjectAltNames}; null for none. */
	public String serverName() {
		if (sni != null) {
			return sni;
		}
		return subjectAltNames.stream().filter(ServerName::valid).findFirst().orElse(null);
	}

	public boolean enabled() {
		return mode != Mode.DISABLE;
	}

}
