package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.meshgate.policy.edge.ClientAddressResolver.ForwardedHeader;

/**
 * {@code meshgate.ingress.*}: whom the ingress port believes about a request's origin, and how
 * long a client may make it wait.
 *
 * <pre>
 * meshgate:
 *   ingress:
 *     trusted-proxies: [10.0.0.0/8]      # the load balancer in front of Meshgate
 *     forwarded-header: x-forwarded-for  # or forwarded (RFC 7239)
 *     request-body-timeout: 30s
 * </pre>
 *
 * @param trustedProxies the address ranges of the proxies in front of the gateway; forwarding
 * headers count only on requests whose TCP peer is in one of them (and only hops in them are
 * skipped); default none: the TCP peer is the client, whatever the request says, on every platform
 * @param forwardedHeader the one header those proxies write; default {@code x-forwarded-for}
 * @param requestBodyTimeout time from a request's headers to the last byte of its body (default
 * 30 s: a megabyte at about 35 KB/s); a body that is not complete by then closes the connection,
 * whether a route is still reading it, is proxying it, or already answered. It is a deadline for
 * the whole body, not for each read, so a client trickling bytes cannot stretch it.
 */
@ConfigurationProperties("meshgate.ingress")
public record IngressProperties(List<String> trustedProxies, ForwardedHeader forwardedHeader,
		Duration requestBodyTimeout) {

	static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

	public IngressProperties {
		trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
		forwardedHeader = forwardedHeader == null ? ForwardedHeader.X_FORWARDED_FOR : forwardedHeader;
		requestBodyTimeout = requestBodyTimeout == null ? DEFAULT_REQUEST_BODY_TIMEOUT : requestBodyTimeout;
		CidrSet.of("trustedProxies", trustedProxies); // all invalid entries at once, at start-up
		if (requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()) {
			throw new IllegalArgumentException("meshgate.ingress.request-body-timeout: " + requestBodyTimeout
					+ " (expected: a positive duration, as in 30s)");
		}
	}

	public ClientAddressResolver clientAddressResolver() {
		CidrSet trusted = CidrSet.of("trustedProxies", trustedProxies);
		return trusted.isEmpty() ? ClientAddressResolver.UNTRUSTING : new ClientAddressResolver(trusted, forwardedHeader);
	}

}
