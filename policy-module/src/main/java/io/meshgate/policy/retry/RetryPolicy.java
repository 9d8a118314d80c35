package io.meshgate.policy.retry;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.schema.Example;

/**
 * When and how a route retries (Istio's {@code retries}, Envoy's {@code RetryPolicy} with a
 * {@code retry_budget}):
 * {@code retries: {attempts: 2, perTryTimeout: 1s, retryOn: [connect-failure, reset, 503], budgetPercent: 20}}.
 *
 * @param attempts retries after the first try, 0-10; default 2
 * @param perTryTimeout how long one try may wait for response headers; default: no limit of its own
 * @param retryOn the conditions that allow a retry; default
 * {@code [connect-failure, reset, 503, unavailable, cancelled, deadline-exceeded]} (the last three
 * are gRPC statuses, for gRPC calls)
 * @param baseInterval first backoff, doubled per retry with ±50% jitter; default 25ms
 * @param maxInterval longest backoff, at most 1h; default 10 × baseInterval (250ms)
 * @param budgetPercent retries in flight may not exceed this share of the route's requests in
 * flight, 0-100; default 20
 * @param minRetryConcurrency retries always allowed in flight whatever the budget; default 3
 * @param retryNonIdempotent also retry POST and PATCH; default false
 * @param maxBodySize requests with larger bodies (or bodies of unknown length) get one try
 * only, since the body must be kept for a replay; default 1MB
 */
public record RetryPolicy(Integer attempts, @Example("1s") Duration perTryTimeout, List<RetryOn> retryOn, Duration baseInterval,
		Duration maxInterval, Double budgetPercent, Integer minRetryConcurrency, Boolean retryNonIdempotent,
		DataSize maxBodySize) {

	/** The gRPC conditions match gRPC calls only; {@code resource-exhausted} is left out (the server is busy). */
	public static final List<RetryOn> DEFAULT_RETRY_ON = List.of(RetryOn.of("connect-failure"), RetryOn.of("reset"),
			RetryOn.of("503"), RetryOn.of("unavailable"), RetryOn.of("cancelled"), RetryOn.of("deadline-exceeded"));

	/** The longest backoff allowed: a retry that waits longer is not a retry a client waits for. */
	static final Duration MAX_INTERVAL = Duration.ofHours(1);

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
		if (baseInterval.isNegative() || baseInterval.isZero() || baseInterval.compareTo(MAX_INTERVAL) > 0) {
			throw new IllegalArgumentException(
					"baseInterval: " + baseInterval + " (expected: > 0 and <= " + MAX_INTERVAL + ")");
		}
		if (maxInterval == null) {
			Duration tenTimes = baseInterval.multipliedBy(10);
			maxInterval = tenTimes.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : tenTimes;
		}
		if (maxInterval.compareTo(baseInterval) < 0 || maxInterval.compareTo(MAX_INTERVAL) > 0) {
			throw new IllegalArgumentException("maxInterval: " + maxInterval + " (expected: >= baseInterval "
					+ baseInterval + " and <= " + MAX_INTERVAL + ")");
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

	/**
	 * The wait before retry number {@code retry} (1 for the first): {@code baseInterval} doubled
	 * per retry, capped at {@code maxInterval}, then moved by up to half of itself either way
	 * (jitter, so that clients that failed together do not retry together), staying within
	 * {@code baseInterval} and {@code maxInterval}.
	 */
	Duration backoff(int retry, RandomGenerator random) {
		long base = baseInterval.toNanos();
		long max = maxInterval.toNanos();
		long next = base;
		for (int i = 1; i < retry && next < max; i++) {
			next = Math.min(max, next * 2); // no overflow: max is at most an hour
		}
		long jitter = next / 2;
		long low = Math.max(base, next - jitter);
		long high = Math.min(max, next + jitter);
		return Duration.ofNanos(low >= high ? low : random.nextLong(low, high));
	}

	// loops rather than streams: asked on every try
	boolean retriesStatus(int status) {
		for (RetryOn condition : retryOn) {
			if (condition.matchesStatus(status)) {
				return true;
			}
		}
		return false;
	}

	boolean retriesGrpc(int grpcStatus) {
		for (RetryOn condition : retryOn) {
			if (condition.matchesGrpc(grpcStatus)) {
				return true;
			}
		}
		return false;
	}

	boolean retriesFailure(Throwable error) {
		for (RetryOn condition : retryOn) {
			if (condition.matchesFailure(error)) {
				return true;
			}
		}
		return false;
	}

}
