package io.meshgate.gateway.https;

import java.util.List;

/**
 * A client-certificate requirement of the HTTPS listener, as {@code /actuator/mesh} shows it:
 * never the PEM text.
 *
 * @param name where it comes from: {@code meshgate.https.client-certificate},
 * {@code meshgate.https.hosts[i].client-certificate}, or a source's certificate name
 * @param hostnames the SNI names it is for; empty for the default
 * @param mode {@code REQUIRE} or {@code OPTIONAL}
 * @param caSubjects the subjects of the CAs it trusts; empty when none could be loaded (every
 * certificate is refused)
 */
public record ClientCertificateView(String name, List<String> hostnames, String mode, List<String> subjectAltNames,
		List<String> caSubjects) {

	public ClientCertificateView {
		hostnames = List.copyOf(hostnames);
		subjectAltNames = List.copyOf(subjectAltNames);
		caSubjects = List.copyOf(caSubjects);
	}

}
