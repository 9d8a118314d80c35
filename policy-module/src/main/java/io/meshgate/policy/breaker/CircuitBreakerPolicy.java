package io.meshgate.policy.breaker;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * An upstream's circuit breaker and concurrency cap (resilience4j's breaker and bulkhead; Envoy's
 * {@code circuit_breakers.max_requests}):
 * {@code circuitBreaker: {failureRateThreshold: 50, slidingWindowSize: 50, minimumNumberOfCalls: 20,
 * waitDurationInOpenState: 10s, maxConcurrentRequests: 256}}.
 *
 * @param failureRateThreshold percent of failed calls (5xx, connection failures, timeouts) in the
 * window that opens the breaker, 1-100; default 50
 * @param slowCallDurationThreshold a call slower than this is slow; default 60s
 * @param slowCallRateThreshold percent of slow calls that opens the breaker, 1-100; default 100
 * @param slidingWindowSize calls the rates are computed over; default 100
 * @param minimumNumberOfCalls calls needed before the rates count, 1-slidingWindowSize; default 20
 * @param waitDurationInOpenState how long the breaker stays open before probing; default 10s
 * @param permittedNumberOfCallsInHalfOpenState probes let through when half-open; default 5
 * @param maxConcurrentRequests requests in flight to the upstream at most; beyond it, 503 at
 * once; default: no cap
 */
public record CircuitBreakerPolicy(Double failureRateThreshold, Duration slowCallDurationThreshold,
		Double slowCallRateThreshold, Integer slidingWindowSize, Integer minimumNumberOfCalls,
		Duration waitDurationInOpenState, Integer permittedNumberOfCallsInHalfOpenState,
		Integer maxConcurrentRequests) {

	public CircuitBreakerPolicy {
		failureRateThreshold = percent("failureRateThreshold", failureRateThreshold, 50.0);
		slowCallRateThreshold = percent("slowCallRateThreshold", slowCallRateThreshold, 100.0);
		slowCallDurationThreshold = positive("slowCallDurationThreshold", slowCallDurationThreshold,
				Duration.ofSeconds(60));
		slidingWindowSize = slidingWindowSize == null ? 100 : slidingWindowSize;
		if (slidingWindowSize < 1) {
			throw new IllegalArgumentException("slidingWindowSize: " + slidingWindowSize + " (expected: >= 1)");
		}
		minimumNumberOfCalls = minimumNumberOfCalls == null ? Math.min(20, slidingWindowSize) : minimumNumberOfCalls;
		if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
			throw new IllegalArgumentException("minimumNumberOfCalls: " + minimumNumberOfCalls
					+ " (expected: 1-" + slidingWindowSize + ", at most slidingWindowSize)");
		}
		waitDurationInOpenState = positive("waitDurationInOpenState", waitDurationInOpenState, Duration.ofSeconds(10));
		permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState == null ? 5
				: permittedNumberOfCallsInHalfOpenState;
		if (permittedNumberOfCallsInHalfOpenState < 1) {
			throw new IllegalArgumentException("permittedNumberOfCallsInHalfOpenState: "
					+ permittedNumberOfCallsInHalfOpenState + " (expected: >= 1)");
		}
		if (maxConcurrentRequests != null && maxConcurrentRequests < 1) {
			throw new IllegalArgumentException("maxConcurrentRequests: " + maxConcurrentRequests + " (expected: >= 1)");
		}
	}

	public static CircuitBreakerPolicy defaults() {
		return new CircuitBreakerPolicy(null, null, null, null, null, null, null, null);
	}

	/**
	 * This policy as resilience4j's configuration: a count-based window, and no timer of its own
	 * moving an open breaker to half-open (the next call after the wait does).
	 */
	public CircuitBreakerConfig toConfig() {
		return CircuitBreakerConfig.custom()
			.failureRateThreshold(failureRateThreshold.floatValue())
			.slowCallRateThreshold(slowCallRateThreshold.floatValue())
			.slowCallDurationThreshold(slowCallDurationThreshold)
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(slidingWindowSize)
			.minimumNumberOfCalls(minimumNumberOfCalls)
			.waitDurationInOpenState(waitDurationInOpenState)
			.permittedNumberOfCallsInHalfOpenState(permittedNumberOfCallsInHalfOpenState)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.build();
	}

	private static Double percent(String field, Double value, double fallback) {
		double percent = value == null ? fallback : value;
		if (!(percent > 0 && percent <= 100)) {
			throw new IllegalArgumentException(field + ": " + value + " (expected: 1-100)");
		}
		return percent;
	}

	static Duration positive(String field, Duration value, Duration fallback) {
		Duration duration = value == null ? fallback : value;
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
		}
		return duration;
	}

}
