package io.meshgate.policy.security.extauthz;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.tls.TlsPolicy;

/**
 * A route's external authorization (Envoy's {@code ext_authz} in HTTP mode, Istio's
 * {@code envoyExtAuthzHttp} provider and its {@code CUSTOM} action; Traefik's {@code forwardAuth},
 * ingress-nginx's {@code auth-url}). Before a request goes on, the gateway asks the auth service,
 * with the request's method, its path appended to the path of {@code uri}, the headers listed in
 * {@code includeRequestHeadersInCheck} and the client's address, and never its body:
 *
 * <pre>
 * extAuthz:
 *   uri: https://authz.internal:9443/check
 *   tls: {mode: SIMPLE, caCertificates: /certs/authz-ca.crt}
 *   timeout: 200ms
 *   failOpen: false
 *   includeRequestHeadersInCheck: [authorization, cookie]
 *   headersToUpstreamOnAllow: [x-user-id]
 *   headersToDownstreamOnDeny: [www-authenticate]
 *   circuitBreaker: {failureRateThreshold: 50, slidingWindowSize: 20, minimumNumberOfCalls: 10}
 *   cache: {maxEntries: 10000, maxAge: 5m}
 * </pre>
 *
 * A 2xx answer allows the request; a 4xx answer denies it with that status; any other status
 * below 500 (a redirect) denies it with 403. A 5xx answer, a timeout, a refused or broken
 * connection, an answer larger than {@code maxResponseSize}, and a call the circuit breaker or the
 * concurrency cap refuses are failures: the request goes on when {@code failOpen}, else it is
 * answered {@code statusOnError}. Names follow Istio's {@code EnvoyExternalAuthorizationHttpProvider}.
 *
 * @param uri the auth service, {@code http://} or {@code https://}; the request's path and query are
 * appended to its path; required
 * @param tls with an {@code https} uri: the CAs that verify the auth service ({@code SIMPLE}), and the
 * gateway's client certificate ({@code MUTUAL}), as an upstream's {@link TlsPolicy}; the files are read
 * when the route is built; default: the JDK's trusted CAs, the host name checked
 * @param timeout the longest a check may take, connection, answer and body included; default 200ms
 * @param failOpen whether a request goes on when the check fails (error, timeout, breaker open);
 * default false: it is answered {@code statusOnError}
 * @param statusOnError the status of a request refused because the check failed, 400-599; default 403
 * (Envoy's {@code status_on_error})
 * @param includeRequestHeadersInCheck the client's request headers sent to the auth service (names,
 * any case); default {@code [authorization]}. Method and path always go; so do
 * {@code x-forwarded-for} (the client address the gateway resolved, trusting forwarded headers only
 * from configured proxies), {@code x-forwarded-proto}, {@code x-forwarded-host},
 * {@code x-forwarded-method} and {@code x-forwarded-uri}, written by the gateway, never the client's
 * @param headersToUpstreamOnAllow headers of an allowing answer set on the request to the upstream;
 * a client's own headers of these names are always removed first, so only the auth service can set
 * them; default none
 * @param headersToDownstreamOnAllow headers of an allowing answer set on the response to the client
 * (a refreshed {@code set-cookie}); default none
 * @param headersToDownstreamOnDeny headers of a denying answer passed to the client; default
 * {@code [www-authenticate]}
 * @param includeBodyOnDeny whether a denying answer's body (and content type) is passed to the
 * client; default false: the client gets Meshgate's own JSON error, and nothing of the auth service
 * @param maxResponseSize the largest answer body read from the auth service; a larger one is a
 * failure; default 8KB
 * @param circuitBreaker the breaker on the auth service: failed checks (5xx, timeouts, connection
 * failures) open it, and while it is open checks fail at once without a call; default: the
 * breaker's defaults ({@link CircuitBreakerPolicy})
 * @param cache decisions kept as the auth service's {@code Cache-Control} allows; default
 * {@code {maxEntries: 10000, maxAge: 5m}}
 */
public record ExtAuthzPolicy(@Example("http://authz.internal:9000/check") URI uri, TlsPolicy tls,
		@Example("200ms") Duration timeout,
		Boolean failOpen, Integer statusOnError, @Example({ "authorization", "cookie" }) List<String> includeRequestHeadersInCheck,
		@Example("x-user-id") List<String> headersToUpstreamOnAllow, @Example("set-cookie") List<String> headersToDownstreamOnAllow,
		@Example("www-authenticate") List<String> headersToDownstreamOnDeny, Boolean includeBodyOnDeny,
		@Example("8KB") DataSize maxResponseSize, CircuitBreakerPolicy circuitBreaker, DecisionCachePolicy cache) {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

	public static final int DEFAULT_STATUS_ON_ERROR = 403;

	public static final List<String> DEFAULT_REQUEST_HEADERS = List.of("authorization");

	public static final List<String> DEFAULT_DOWNSTREAM_HEADERS_ON_DENY = List.of("www-authenticate");

	public static final DataSize DEFAULT_MAX_RESPONSE_SIZE = DataSize.ofKilobytes(8);

	static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

	static final DataSize MAX_RESPONSE_SIZE_LIMIT = DataSize.ofMegabytes(1);

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	/** Headers the gateway writes or that describe one connection's framing: never copied either way. */
	private static final Set<String> FRAMING = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
			"transfer-encoding", "upgrade", "content-length", "host", "expect");

	public ExtAuthzPolicy {
		if (uri == null || uri.getScheme() == null || uri.getHost() == null
				|| !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new IllegalArgumentException("uri: " + uri
					+ " (expected: http:// or https:// with a host, an optional port and path, no query, user or fragment)");
		}
		tls = tls == null ? TlsPolicy.DISABLED : tls;
		if (tls.enabled() && !"https".equalsIgnoreCase(uri.getScheme())) {
			throw new IllegalArgumentException(
					"tls.mode: " + tls.mode() + " (expected: DISABLE with an http uri; SIMPLE or MUTUAL need https)");
		}
		timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
		if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: 1ms-60s)");
		}
		failOpen = failOpen != null && failOpen;
		statusOnError = statusOnError == null ? DEFAULT_STATUS_ON_ERROR : statusOnError;
		if (statusOnError < 400 || statusOnError > 599) {
			throw new IllegalArgumentException("statusOnError: " + statusOnError + " (expected: 400-599)");
		}
		includeRequestHeadersInCheck = names("includeRequestHeadersInCheck",
				includeRequestHeadersInCheck == null ? DEFAULT_REQUEST_HEADERS : includeRequestHeadersInCheck, true);
		headersToUpstreamOnAllow = names("headersToUpstreamOnAllow", headersToUpstreamOnAllow, true);
		headersToDownstreamOnAllow = names("headersToDownstreamOnAllow", headersToDownstreamOnAllow, false);
		headersToDownstreamOnDeny = names("headersToDownstreamOnDeny",
				headersToDownstreamOnDeny == null ? DEFAULT_DOWNSTREAM_HEADERS_ON_DENY : headersToDownstreamOnDeny, false);
		includeBodyOnDeny = includeBodyOnDeny != null && includeBodyOnDeny;
		maxResponseSize = maxResponseSize == null ? DEFAULT_MAX_RESPONSE_SIZE : maxResponseSize;
		if (maxResponseSize.isNegative() || maxResponseSize.compareTo(MAX_RESPONSE_SIZE_LIMIT) > 0) {
			throw new IllegalArgumentException("maxResponseSize: " + maxResponseSize + " (expected: 0B-1MB)");
		}
		circuitBreaker = circuitBreaker == null ? CircuitBreakerPolicy.defaults() : circuitBreaker;
		cache = cache == null ? DecisionCachePolicy.DEFAULT : cache;
	}

	/** The policy with every default: only the auth service is given. */
	public static ExtAuthzPolicy of(URI uri) {
		return new ExtAuthzPolicy(uri, null, null, null, null, null, null, null, null, null, null, null, null);
	}

	/**
	 * Lower-cased, checked header names. {@code requestSide}: the names travel on a request (to the
	 * auth service or the upstream), where forwarding headers are the gateway's and
	 * {@code x-meshgate-*} its own markers.
	 */
	private static List<String> names(String field, List<String> names, boolean requestSide) {
		if (names == null) {
			return List.of();
		}
		List<String> lower = new ArrayList<>(names.size());
		for (String name : names) {
			String candidate = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
			if (!TOKEN.matcher(candidate).matches()) {
				throw new IllegalArgumentException(field + ": " + names + " (expected: header names)");
			}
			if (FRAMING.contains(candidate) || candidate.startsWith("proxy-")
					|| (requestSide ? candidate.equals("forwarded") || candidate.startsWith("x-forwarded-")
							|| candidate.startsWith("x-meshgate-") : candidate.equals("content-type"))) {
				throw new IllegalArgumentException(field + ": " + name + " (expected: a header the gateway does not "
						+ "write itself: not hop-by-hop, Host, Content-Length"
						+ (requestSide ? ", Forwarded, X-Forwarded-* or X-Meshgate-*)" : " or Content-Type)"));
			}
			if (!lower.contains(candidate)) {
				lower.add(candidate);
			}
		}
		return List.copyOf(lower);
	}

	/**
	 * The decisions kept: an allowing or denying answer is kept for as long as its
	 * {@code Cache-Control} says ({@code s-maxage}, else {@code max-age}), at most {@code maxAge}; an
	 * answer without one, or with {@code no-store}, {@code no-cache} or {@code private} (the gateway is
	 * a shared cache), is not kept, nor is a failure. Keyed on everything sent to the auth service.
	 *
	 * @param maxEntries decisions kept at most, the least recently used go first; 0 keeps none;
	 * default 10000
	 * @param maxAge the longest a decision is kept, whatever the auth service says; default 5m
	 */
	public record DecisionCachePolicy(Integer maxEntries, @Example("5m") Duration maxAge) {

		public static final DecisionCachePolicy DEFAULT = new DecisionCachePolicy(null, null);

		public DecisionCachePolicy {
			maxEntries = maxEntries == null ? 10_000 : maxEntries;
			if (maxEntries < 0 || maxEntries > 10_000_000) {
				throw new IllegalArgumentException("cache.maxEntries: " + maxEntries + " (expected: 0-10000000)");
			}
			maxAge = maxAge == null ? Duration.ofMinutes(5) : maxAge;
			if (maxAge.toMillis() < 1) {
				throw new IllegalArgumentException("cache.maxAge: " + maxAge + " (expected: >= 1ms)");
			}
		}

		public boolean enabled() {
			return maxEntries > 0;
		}

	}

}
