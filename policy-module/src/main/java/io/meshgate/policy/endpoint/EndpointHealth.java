package io.meshgate.policy.endpoint;

/**
 * What the gateway knows about one endpoint's health: the active check's verdict and the
 * passive outlier detector's counters and ejection. Updated by those two policies, read on the
 * request path (through the upstream runtime's list of available endpoints) and by the actuator.
 */
public final class EndpointHealth {

	private volatile boolean checkedHealthy = true;

	private int checkStreak;

	private int consecutive5xx;

	private int consecutiveGatewayFailures;

	private int ejections;

	private volatile long ejectedUntilNanos;

	private long decayedAtNanos;

	/** False after the active health check failed its threshold, until it passes again. */
	public boolean checkedHealthy() {
		return checkedHealthy;
	}

	public boolean ejected(long nowNanos) {
		return ejectedUntilNanos - nowNanos > 0;
	}

	/** When the current ejection ends, in {@link System#nanoTime()} terms; meaningful while ejected. */
	public long ejectedUntilNanos() {
		return ejectedUntilNanos;
	}

	public synchronized int ejections() {
		return ejections;
	}

	/**
	 * Records an active check; returns true when the verdict flipped.
	 * @param passed the check's outcome
	 * @param healthyThreshold passes in a row that make a down endpoint healthy
	 * @param unhealthyThreshold failures in a row that take a healthy endpoint down
	 */
	public synchronized boolean recordCheck(boolean passed, int healthyThreshold, int unhealthyThreshold) {
		if (passed == checkedHealthy) {
			checkStreak = 0;
			return false;
		}
		checkStreak++;
		if (checkStreak >= (passed ? healthyThreshold : unhealthyThreshold)) {
			checkedHealthy = passed;
			checkStreak = 0;
			return true;
		}
		return false;
	}

	/**
	 * Counts an answer for outlier detection; returns the failure streak that reached its limit,
	 * "consecutive 5xx" or "consecutive gateway failures", or {@code null}.
	 */
	public synchronized String recordAnswer(boolean serverError, boolean gatewayFailure, int max5xx, int maxGatewayFailures) {
		consecutive5xx = serverError ? consecutive5xx + 1 : 0;
		consecutiveGatewayFailures = gatewayFailure ? consecutiveGatewayFailures + 1 : 0;
		if (max5xx > 0 && consecutive5xx >= max5xx) {
			return max5xx + " consecutive 5xx";
		}
		if (maxGatewayFailures > 0 && consecutiveGatewayFailures >= maxGatewayFailures) {
			return maxGatewayFailures + " consecutive gateway failures";
		}
		return null;
	}

	/** Ejects for {@code base} times the number of ejections so far; returns that duration in nanos. */
	public synchronized long eject(long nowNanos, long baseNanos) {
		ejections++;
		long duration = baseNanos * ejections;
		ejectedUntilNanos = nowNanos + duration;
		decayedAtNanos = ejectedUntilNanos;
		consecutive5xx = 0;
		consecutiveGatewayFailures = 0;
		return duration;
	}

	/** Envoy's decay: each interval spent back in rotation takes one off the ejection multiplier. */
	public synchronized void decay(long nowNanos, long intervalNanos) {
		if (ejections == 0 || ejected(nowNanos)) {
			return;
		}
		long intervals = (nowNanos - decayedAtNanos) / intervalNanos;
		if (intervals > 0) {
			ejections = (int) Math.max(0, ejections - intervals);
			decayedAtNanos += intervals * intervalNanos;
		}
	}

}
