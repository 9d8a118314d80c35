package io.meshgate.policy.retry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Envoy's retry budget: retries in flight may not exceed {@code budgetPercent} of the requests in
 * flight, though {@code minRetryConcurrency} retries are always allowed. When every attempt
 * fails, the upstream sees at most (1 + budget) times the client's traffic instead of
 * (1 + attempts) times: no retry storm.
 */
final class RetryBudget {

	private final double fraction;

	private final int minRetryConcurrency;

	private final AtomicInteger activeRequests = new AtomicInteger();

	private final AtomicInteger activeRetries = new AtomicInteger();

	RetryBudget(double budgetPercent, int minRetryConcurrency) {
		this.fraction = budgetPercent / 100;
		this.minRetryConcurrency = minRetryConcurrency;
	}

	void requestStarted() {
		activeRequests.incrementAndGet();
	}

	void requestFinished() {
		activeRequests.decrementAndGet();
	}

	/** Takes a place for one retry, if the budget has one; release it with {@link #retryFinished}. */
	boolean tryStartRetry() {
		while (true) {
			int retries = activeRetries.get();
			int allowed = Math.max(minRetryConcurrency, (int) (activeRequests.get() * fraction));
			if (retries >= allowed) {
				return false;
			}
			if (activeRetries.compareAndSet(retries, retries + 1)) {
				return true;
			}
		}
	}

	void retryFinished() {
		activeRetries.decrementAndGet();
	}

	int activeRetries() {
		return activeRetries.get();
	}

}
