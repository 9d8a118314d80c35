package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.ArrayList;
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
 *     request-header-timeout: 10s
 *     request-body-timeout: 30s
 *     h2c-prior-knowledge: true          # cleartext HTTP/2 clients (gRPC plaintext channels)
 * </pre>
 *
 * @param trustedProxies the address ranges of the proxies in front of the gateway; forwarding
 * headers count only on requests whose TCP peer is in one of them (and only hops in them are
 * skipped); default none: the TCP peer is the client, whatever the request says, on every platform
 * @param forwardedHeader the one header those proxies write; default {@code x-forwarded-for}
 * @param requestHeaderTimeout time from a request's first byte to the end of its headers (default
 * 10 s, Envoy's {@code request_headers_timeout} semantics: the wait for a keep-alive connection's
 * next request is the idle timeout's); headers not complete by then close the connection. 10 s
 * is ample for 8 KB of headers from any real client; a client trickling header bytes (slowloris)
 * cannot hold a connection longer
 * @param requestBodyTimeout time from a request's headers to the last byte of its body (default
 * 30 s: a megabyte at about 35 KB/s); a body that is not complete by then closes the connection,
 * whether a route is still reading it, is proxying it, or already answered. It is a deadline for
 * the whole body, not for each read, so a client trickling bytes cannot stretch it.
 * @param h2cPriorKnowledge whether the cleartext ingress ports take HTTP/2 from clients that start
 * with its connection preface (h2c with prior knowledge, as gRPC's plaintext channels do); default
 * {@code true}. HTTP/1.1's {@code Upgrade: h2c} is not honoured by it (see {@link H2cPriorKnowledge});
 * {@code server.http2.enabled: true} turns on Reactor Netty's h2c, which honours both.
 */
@ConfigurationProperties("meshgate.ingress")
public record IngressProperties(List<String> trustedProxies, ForwardedHeader forwardedHeader,
		Duration requestHeaderTimeout, Duration requestBodyTimeout, Boolean h2cPriorKnowledge) {

	static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);

	static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);

	public IngressProperties {
		trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
		forwardedHeader = forwardedHeader == null ? ForwardedHeader.X_FORWARDED_FOR : forwardedHeader;
		requestHeaderTimeout = requestHeaderTimeout == null ? DEFAULT_REQUEST_HEADER_TIMEOUT : requestHeaderTimeout;
		requestBodyTimeout = requestBodyTimeout == null ? DEFAULT_REQUEST_BODY_TIMEOUT : requestBodyTimeout;
		h2cPriorKnowledge = h2cPriorKnowledge == null || h2cPriorKnowledge;
		CidrSet.of("trustedProxies", trustedProxies); // all invalid entries at once, at start-up
		List<String> errors = new ArrayList<>();
		positive("request-header-timeout", requestHeaderTimeout, "10s", errors);
		positive("request-body-timeout", requestBodyTimeout, "30s", errors);
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", errors));
		}
	}

	private static void positive(String key, Duration value, String example, List<String> errors) {
		if (value.isNegative() || value.isZero()) {
			errors.add("meshgate.ingress." + key + ": " + value + " (expected: a positive duration, as in " + example + ")");
		}
	}

	public ClientAddressResolver clientAddressResolver() {
		CidrSet trusted = CidrSet.of("trustedProxies", trustedProxies);
		return trusted.isEmpty() ? ClientAddressResolver.UNTRUSTING : new ClientAddressResolver(trusted, forwardedHeader);
	}

}
