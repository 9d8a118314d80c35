package io.meshgate.policy.security.peer;

/**
 * What the upstream is told of the client's certificate in {@code x-forwarded-client-cert}
 * (Envoy's {@code forward_client_cert_details}). A client-sent header is removed in every mode and
 * on every listener: only the gateway writes it. Envoy's modes that trust a client-sent header
 * ({@code FORWARD_ONLY}, {@code APPEND_FORWARD}, {@code ALWAYS_FORWARD_ONLY}) are left out: the
 * gateway is the edge, and nothing before it is trusted.
 */
public enum ForwardClientCertDetails {

	/** Envoy's default: the header is removed and not set. */
	SANITIZE,

	/** The header is removed, then set to the verified client certificate's details when there is one. */
	SANITIZE_SET

}
