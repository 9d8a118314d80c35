package io.meshgate.policy.security.peer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.edge.client-certificate.*}: what the gateway does with a verified client
 * certificate, on every listener that asks for one.
 *
 * @param forwardDetails what the upstream gets in {@code x-forwarded-client-cert}; default
 * {@link ForwardClientCertDetails#SANITIZE} (Envoy's default: removed, not set)
 */
@ConfigurationProperties("meshgate.edge.client-certificate")
public record PeerIdentityProperties(ForwardClientCertDetails forwardDetails) {

	public static final ForwardClientCertDetails DEFAULT_FORWARD_DETAILS = ForwardClientCertDetails.SANITIZE;

	public PeerIdentityProperties {
		forwardDetails = forwardDetails == null ? DEFAULT_FORWARD_DETAILS : forwardDetails;
	}

}
