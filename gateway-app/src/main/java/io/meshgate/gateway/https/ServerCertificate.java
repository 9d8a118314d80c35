package io.meshgate.gateway.https;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate the HTTPS listener serves to the host names it is for, chosen by SNI: PEM text as
 * a Kubernetes TLS Secret holds it ({@code tls.crt}, {@code tls.key}). {@code hostnames} are exact
 * names or one-label wildcards ({@code *.example.com}), kept in lower case; none makes it a default
 * certificate, served when no name matches. Whether the PEM parses, the key fits and the
 * certificate is valid now is checked by {@link HttpsCertificates#replace}, which refuses it with a
 * reason. {@link #toString()} never shows the PEM text.
 *
 * @param clientCertificate what handshakes for these host names (or, for a default certificate,
 * handshakes no other requirement claims) ask of the client's certificate; null: nothing, unless
 * {@code meshgate.https} configures it
 */
public record ServerCertificate(String name, List<String> hostnames, String certificateChainPem,
		String privateKeyPem, ClientCertificate clientCertificate) {

	private static final Pattern HOSTNAME = Pattern
		.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

	public ServerCertificate {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(hostnames, "hostnames");
		Objects.requireNonNull(certificateChainPem, "certificateChainPem");
		Objects.requireNonNull(privateKeyPem, "privateKeyPem");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name: '" + name + "' (expected: not blank)");
		}
		hostnames = hostnames.stream().map(ServerCertificate::hostname).distinct().toList();
	}

	/** A certificate that asks nothing of clients beyond what {@code meshgate.https} configures. */
	public ServerCertificate(String name, List<String> hostnames, String certificateChainPem, String privateKeyPem) {
		this(name, hostnames, certificateChainPem, privateKeyPem, null);
	}

	/**
	 * Why PEM text (as a {@code kubernetes.io/tls} Secret holds it) is not a certificate chain and
	 * the private key of its first certificate; null when it is. Parses and signs a probe, so call
	 * it off the event loop. Validity dates are left to {@link HttpsCertificates#replace}.
	 */
	public static String unreadable(String certificateChainPem, String privateKeyPem) {
		return LoadedCertificate.unreadable(certificateChainPem, privateKeyPem);
	}

	/** A host name in lower case, checked: a DNS name or a one-label wildcard. */
	static String hostname(String hostname) {
		Objects.requireNonNull(hostname, "hostnames[]");
		String lower = hostname.toLowerCase(Locale.ROOT);
		if (lower.length() > 253 || !HOSTNAME.matcher(lower).matches()) {
			throw new IllegalArgumentException("hostnames: " + hostname
					+ " (expected: a DNS name such as shop.example.com, or a wildcard of one label such as *.example.com)");
		}
		return lower;
	}

	/** No PEM text: the private key must never reach a log. */
	@Override
	public String toString() {
		return "ServerCertificate[name=" + name + ", hostnames=" + hostnames
				+ (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate) + "]";
	}

}
