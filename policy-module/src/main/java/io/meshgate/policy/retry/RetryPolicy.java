package io.meshgate.policy.retry;

import java.time.Duration;
import java.util.List;

import org.springframework.util.unit.DataSize;

/**
 * When and how a route retries (Istio's {@code retries}, Envoy's {@code RetryPolicy} with a
 * {@code retry_budget}):
 * {@code retries: {attempts: 2, perTryTimeout: 1s, retryOn: [connect-failure, reset, 503], budgetPercent: 20}}.
 *
 * @param attempts retries after the first try, 0-10; default 2
 * @param perTryTimeout how long one try may wait for response headers; default: no limit of its own
 * @param retryOn the conditions that allow a retry; default {@code [connect-failure, reset, 503]}
 * @param baseInterval first backoff, doubled per retry with ±50% jitter; default 25ms
 * @param maxInterval longest backoff; default 250ms
 * @param budgetPercent retries in flight may not exceed this share of the route's requests in
 * flight, 0-100; default 20
 * @param minRetryConcurrency retries always allowed in flight whatever the budget; default 3
 * @param retryNonIdempotent also retry POST and PATCH; default false
 * @param maxBodySize requests with larger bodies (or bodies of unknown length) get one try
 * only, since the body must be kept for a replay; default 1MB
 */
public record RetryPolicy(Integer attempts, Duration perTryTimeout, List<RetryOn> retryOn, Duration baseInterval,
		Duration maxInterval, Double budgetPercent, Integer minRetryConcurrency, Boolean retryNonIdempotent,
		DataSize maxBodySize) {

	public static final List<RetryOn> DEFAULT_RETRY_ON = List.of(RetryOn.of("connect-failure"), RetryOn.of("reset"),
			RetryOn.of("503"));

	public RetryPolicy {
		attempts = attempts == null ? 2 : attempts;
		if (attempts < 0 || attempts > 10) {
			throw new IllegalArgumentException("attempts: " + attempts + " (expected: 0-10)");
		}
		if (perTryTimeout != null && (perTryTimeout.isNegative() || perTryTimeout.isZero())) {
			throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: > 0)");
		}
		retryOn = retryOn == null || retryOn.isEmpty() ? DEFAULT_RETRY_ON : List.copyOf(retryOn);
		baseInterval = baseInterval == null ? Duration.ofMillis(25) : baseInterval;
		if (baseInterval.isNegative() || baseInterval.isZero()) {
			throw new IllegalArgumentException("baseInterval: " + baseInterval + " (expected: > 0)");
		}
		maxInterval = maxInterval == null ? baseInterval.multipliedBy(10) : maxInterval;
		if (maxInterval.compareTo(baseInterval) < 0) {
			throw new IllegalArgumentException(
					"maxInterval: " + maxInterval + " (expected: >= baseInterval " + baseInterval + ")");
		}
		budgetPercent = budgetPercent == null ? 20.0 : budgetPercent;
		if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
			throw new IllegalArgumentException("budgetPercent: " + budgetPercent + " (expected: 0-100)");
		}
		minRetryConcurrency = minRetryConcurrency == null ? 3 : minRetryConcurrency;
		if (minRetryConcurrency < 0) {
			throw new IllegalArgumentException("minRetryConcurrency: " + minRetryConcurrency + " (expected: >= 0)");
		}
		retryNonIdempotent = retryNonIdempotent != null && retryNonIdempotent;
		maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
		if (maxBodySize.isNegative() || maxBodySize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("maxBodySize: " + maxBodySize + " (expected: 0B-2GB)");
		}
	}

	public static RetryPolicy attempts(int attempts) {
		return new RetryPolicy(attempts, null, null, null, null, null, null, null, null);
	}

	boolean retriesStatus(int status) {
		return retryOn.stream().anyMatch(condition -> condition.matchesStatus(status));
	}

	boolean retriesFailure(Throwable error) {
		return retryOn.stream().anyMatch(condition -> condition.matchesFailure(error));
	}

}
