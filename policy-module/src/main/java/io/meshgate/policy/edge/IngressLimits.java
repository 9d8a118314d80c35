package io.meshgate.policy.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.ingress.*} bounds on what a client may make the ingress wait for.
 *
 * @param requestBodyTimeout time from a request's headers to the last byte of its body (default 30 s:
 * a megabyte at about 35 KB/s); a body that is not complete by then closes the
 * connection, whether a route is still reading it, is proxying it, or already answered. It is a
 * deadline for the whole body, not for each read, so a client trickling bytes cannot stretch it.
 */
@ConfigurationProperties("meshgate.ingress")
public record IngressLimits(Duration requestBodyTimeout) {

	static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

	public IngressLimits {
		requestBodyTimeout = requestBodyTimeout == null ? DEFAULT_REQUEST_BODY_TIMEOUT : requestBodyTimeout;
		if (requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()) {
			throw new IllegalArgumentException("meshgate.ingress.request-body-timeout: " + requestBodyTimeout
					+ " (expected: a positive duration, as in 30s)");
		}
	}

}
