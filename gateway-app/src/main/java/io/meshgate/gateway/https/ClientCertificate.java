package io.meshgate.gateway.https;

import java.util.List;
import java.util.Objects;

/**
 * What the HTTPS listener asks of a client's certificate, for a host (SNI name) or as the
 * listener's default. The handshake verifies the client's chain against {@code caCertificates}
 * (the JDK's PKIX checks: signature, validity, constraints); a certificate that fails is refused in
 * the handshake in both modes, as Envoy does with a validation context. A verified certificate
 * becomes the request's peer identity.
 *
 * @param mode {@link Mode#REQUIRE} (the default, Gateway API's {@code AllowValidOnly}): a client
 * without a valid certificate fails the handshake; {@link Mode#OPTIONAL}: a client without one
 * proceeds anonymous
 * @param caCertificates the CAs client certificates must chain to: PEM text (starting with
 * {@code -----BEGIN}) or the path of a PEM file, at most 1 MiB. A file is checked for changes and
 * reloaded (every {@code meshgate.tls.reload-check-interval}, default 5s, as upstream TLS files are)
 * @param subjectAltNames when not empty, the leaf must carry one of these as a URI or DNS SAN,
 * compared exactly, case-sensitive (Envoy's {@code match_typed_subject_alt_names} with
 * {@code exact} matchers), such as {@code spiffe://cluster.local/ns/shop/sa/frontend}
 */
public record ClientCertificate(Mode mode, String caCertificates, List<String> subjectAltNames) {

	public static final Mode DEFAULT_MODE = Mode.REQUIRE;

	public enum Mode {

		/** A client without a certificate that verifies fails the handshake. */
		REQUIRE,

		/** A client without a certificate proceeds anonymous; one that sends an invalid certificate fails. */
		OPTIONAL

	}

	public ClientCertificate {
		mode = mode == null ? DEFAULT_MODE : mode;
		Objects.requireNonNull(caCertificates, "caCertificates");
		subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
		for (String san : subjectAltNames) {
			if (san.isBlank()) {
				throw new IllegalArgumentException("subjectAltNames: '" + san + "' (expected: a URI or DNS name, not blank)");
			}
		}
	}

	/** Whether {@code caCertificates} is PEM text rather than a path. */
	boolean inline() {
		return caCertificates.stripLeading().startsWith("-----BEGIN");
	}

	/** A path is shown, PEM text is not. */
	@Override
	public String toString() {
		return "ClientCertificate[mode=" + mode + ", caCertificates=" + (inline() ? "(PEM)" : caCertificates)
				+ ", subjectAltNames=" + subjectAltNames + "]";
	}

}
