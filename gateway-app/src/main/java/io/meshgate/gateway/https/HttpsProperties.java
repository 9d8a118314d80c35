package io.meshgate.gateway.https;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.https.*}: the HTTPS listener next to the ingress port.
 *
 * @param port the listener's port; unset: no HTTPS listener. 0 picks a free one (tests).
 * @param bundle a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) served when no certificate
 * matches the client's SNI name, or the client sends none; unset: such handshakes fail
 * @param protocols the TLS versions offered; default TLSv1.3, TLSv1.2 (see {@link TlsProfile})
 * @param ciphers the cipher suites offered, TLS 1.3 ones included; default Mozilla's intermediate
 * profile, forward-secret AEAD suites only (see {@link TlsProfile})
 * @param clientCertificate what every handshake asks of the client's certificate unless a host
 * says otherwise; unset: nothing is asked (see {@link ClientCertificate})
 * @param hosts requirements by SNI host name, over the default and over those of certificates
 * from Kubernetes; the first entry to name a host keeps it
 */
@ConfigurationProperties("meshgate.https")
public record HttpsProperties(Integer port, String bundle, List<String> protocols, List<String> ciphers,
		ClientCertificate clientCertificate, List<Host> hosts) {

	public HttpsProperties {
		if (port != null && (port < 0 || port > 65535)) {
			throw new IllegalArgumentException("port: " + port + " (expected: 0-65535, or unset for no HTTPS listener)");
		}
		bundle = bundle == null || bundle.isBlank() ? null : bundle.trim();
		TlsProfile tls = new TlsProfile(protocols, ciphers);
		protocols = tls.protocols();
		ciphers = tls.ciphers();
		hosts = hosts == null ? List.of() : List.copyOf(hosts);
	}

	/**
	 * What handshakes for some SNI host names ask of the client's certificate.
	 *
	 * @param hostnames exact names or one-label wildcards ({@code *.example.com}), at least one
	 * @param clientCertificate the requirement for them
	 */
	public record Host(List<String> hostnames, ClientCertificate clientCertificate) {

		public Host {
			if (hostnames == null || hostnames.isEmpty()) {
				throw new IllegalArgumentException("hostnames: [] (expected: at least one host name)");
			}
			hostnames = hostnames.stream().map(ServerCertificate::hostname).distinct().toList();
			if (clientCertificate == null) {
				throw new IllegalArgumentException("client-certificate: none (expected: mode, ca-certificates)");
			}
		}

	}

	TlsProfile tls() {
		return new TlsProfile(protocols, ciphers);
	}

}
