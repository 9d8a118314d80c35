package io.meshgate.gateway.https;

import java.time.Instant;
import java.util.List;

/**
 * A certificate the HTTPS listener serves, as {@code /actuator/mesh} shows it: never the key.
 *
 * @param source who gave it: a {@link HttpsCertificates#replace} source, or {@code bundle:<name>}
 * for {@code meshgate.https.bundle}
 * @param hostnames the SNI names it is served for; empty for a default certificate
 * @param subject the subject of the leaf certificate, as RFC 2253 writes it
 * @param notAfter when the leaf certificate expires
 */
public record CertificateView(String name, String source, List<String> hostnames, String subject, Instant notAfter) {

	public CertificateView {
		hostnames = List.copyOf(hostnames);
	}

}
