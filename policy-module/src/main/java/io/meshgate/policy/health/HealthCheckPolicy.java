package io.meshgate.policy.health;

import java.time.Duration;

import io.meshgate.policy.schema.Example;

/**
 * Active health checks: each endpoint is asked {@code GET path} every {@code interval}, off the
 * request path; an endpoint that fails {@code unhealthyThreshold} checks in a row gets no
 * traffic until it passes {@code healthyThreshold} in a row:
 * {@code healthCheck: {path: /healthz, interval: 5s, timeout: 1s, unhealthyThreshold: 3, healthyThreshold: 2}}.
 * A check passes on any 2xx answer within the timeout. An upstream of {@code protocol: TCP}
 * checks without a path: a check passes when a TCP connection opens within the timeout.
 *
 * @param path starts with {@code /}; required for HTTP upstreams, none for TCP ones
 * @param interval default 5s
 * @param timeout default 1s, at most the interval
 * @param unhealthyThreshold default 3
 * @param healthyThreshold default 2
 */
public record HealthCheckPolicy(@Example("/healthz") String path, Duration interval, Duration timeout, Integer unhealthyThreshold,
		Integer healthyThreshold) {

	public HealthCheckPolicy {
		if (path != null && !path.startsWith("/")) {
			throw new IllegalArgumentException("healthCheck.path: " + path + " (expected: a path starting with /)");
		}
		interval = interval == null ? Duration.ofSeconds(5) : interval;
		if (interval.toMillis() < 10) {
			throw new IllegalArgumentException("healthCheck.interval: " + interval + " (expected: >= 10ms)");
		}
		timeout = timeout == null ? Duration.ofSeconds(1).compareTo(interval) < 0 ? Duration.ofSeconds(1) : interval
				: timeout;
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
			throw new IllegalArgumentException(
					"healthCheck.timeout: " + timeout + " (expected: > 0 and at most the interval " + interval + ")");
		}
		unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
		if (unhealthyThreshold < 1) {
			throw new IllegalArgumentException(
					"healthCheck.unhealthyThreshold: " + unhealthyThreshold + " (expected: >= 1)");
		}
		healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
		if (healthyThreshold < 1) {
			throw new IllegalArgumentException("healthCheck.healthyThreshold: " + healthyThreshold + " (expected: >= 1)");
		}
	}

	public static HealthCheckPolicy of(String path) {
		return new HealthCheckPolicy(path, null, null, null, null);
	}

}
