package io.meshgate.policy.route;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;

/**
 * Where traffic goes (Istio VirtualService http route): the requests a route matches, the
 * weighted upstreams it sends them to, and the policies on the way.
 *
 * <pre>
 * routes:
 *   - id: orders
 *     match: {path: /orders/**}
 *     backends: [{upstream: orders-v1, weight: 90}, {upstream: orders-v2, weight: 10}]
 *     canary: {stickyOn: cookie:session}
 *     mirrors: [{upstream: orders-v3, percentage: 5}]
 *     retries: {attempts: 2, perTryTimeout: 1s, retryOn: [connect-failure, reset, 503]}
 *     timeout: 5s
 *     fault: {abort: {percentage: 1, httpStatus: 503}}
 *     rateLimit: {maxTokens: 100, fillInterval: 1s}
 * </pre>
 *
 * @param canary stickiness and override header of the split; default: no stickiness,
 * override header {@code x-canary}
 * @param mirrors upstreams receiving copies of a share of the requests; default none
 * @param retries retry policy; default: no retries
 * @param timeout the longest the route may take to produce response headers, retries
 * included; default: the gateway's response timeout
 * @param fault injected delays and aborts; default none
 * @param rateLimit a token bucket per client; default: no limit
 */
public record Route(String id, RouteMatch match, List<Backend> backends, CanaryPolicy canary,
		List<MirrorPolicy> mirrors, RetryPolicy retries, Duration timeout, FaultPolicy fault,
		RateLimitPolicy rateLimit) {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,127}");

	public Route {
		if (id == null || !ID.matcher(id).matches()) {
			throw new IllegalArgumentException(
					"id: " + id + " (expected: letters, digits, '-', '_' or '.', at most 128)");
		}
		if (match == null) {
			throw new IllegalArgumentException("match: null (expected: at least {path: /...})");
		}
		if (backends == null || backends.isEmpty()) {
			throw new IllegalArgumentException("backends: [] (expected: at least one {upstream: name})");
		}
		backends = List.copyOf(backends);
		int sum = backends.stream().mapToInt(Backend::weight).sum();
		if (sum <= 0) {
			throw new IllegalArgumentException("backends: weights sum to " + sum + " (expected: > 0)");
		}
		canary = canary == null ? CanaryPolicy.DEFAULT : canary;
		mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0, as in 5s or 500ms)");
		}
		fault = fault == null ? FaultPolicy.NONE : fault;
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	public static Route of(String id, RouteMatch match, List<Backend> backends) {
		return new Route(id, match, backends, null, null, null, null, null, null);
	}

	public static Route of(String id, String path, Backend... backends) {
		return of(id, RouteMatch.path(path), List.of(backends));
	}

	public Route withCanary(CanaryPolicy canary) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, fault, rateLimit);
	}

	public Route withMirrors(MirrorPolicy... mirrors) {
		return new Route(id, match, backends, canary, List.of(mirrors), retries, timeout, fault, rateLimit);
	}

	public Route withRetries(RetryPolicy retries) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, fault, rateLimit);
	}

	public Route withTimeout(Duration timeout) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, fault, rateLimit);
	}

	public Route withFault(FaultPolicy fault) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, fault, rateLimit);
	}

	public Route withRateLimit(RateLimitPolicy rateLimit) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, fault, rateLimit);
	}

}
