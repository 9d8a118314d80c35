package io.meshgate.policy.edge;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.meshgate.policy.edge.ClientAddressResolver.ForwardedHeader;

/**
 * {@code meshgate.ingress.*}: whom the ingress port believes about a request's origin.
 *
 * <pre>
 * meshgate:
 *   ingress:
 *     trusted-proxies: [10.0.0.0/8]      # the load balancer in front of Meshgate
 *     forwarded-header: x-forwarded-for  # or forwarded (RFC 7239)
 * </pre>
 *
 * @param trustedProxies the address ranges of the proxies in front of the gateway; forwarding
 * headers count only on requests whose TCP peer is in one of them (and only hops in them are
 * skipped); default none: the TCP peer is the client, whatever the request says, on every platform
 * @param forwardedHeader the one header those proxies write; default {@code x-forwarded-for}
 */
@ConfigurationProperties("meshgate.ingress")
public record EdgeProperties(List<String> trustedProxies, ForwardedHeader forwardedHeader) {

	public EdgeProperties {
		trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
		forwardedHeader = forwardedHeader == null ? ForwardedHeader.X_FORWARDED_FOR : forwardedHeader;
		CidrSet.of("trustedProxies", trustedProxies); // all invalid entries at once, at start-up
	}

	public ClientAddressResolver clientAddressResolver() {
		CidrSet trusted = CidrSet.of("trustedProxies", trustedProxies);
		return trusted.isEmpty() ? ClientAddressResolver.UNTRUSTING : new ClientAddressResolver(trusted, forwardedHeader);
	}

}
