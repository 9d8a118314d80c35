package io.meshgate.gateway.kubernetes.status;

import java.time.Duration;

/**
 * How a {@link Leadership} holds its Lease (fabric8's LeaderElector, the timings of client-go's
 * leader election). A leader that dies holding the Lease is replaced once {@code leaseDuration}
 * has passed since its last renewal; one that closes releases it, and another takes over within
 * {@code retryPeriod}.
 *
 * @param leaseDuration how long a Lease not renewed keeps its holder: the other replicas wait this
 * long before they take it; default 15s
 * @param renewDeadline how long the leader tries to renew before it gives up leading; default 10s
 * @param retryPeriod how often a replica tries to take or renew the Lease (fabric8 adds up to 20 %
 * jitter); default 2s
 */
public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

	private static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

	private static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);

	private static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

	/** fabric8's LeaderElector waits up to this factor × {@code retryPeriod} between tries. */
	private static final double JITTER_FACTOR = 1.2;

	private static final Duration SHORTEST = Duration.ofMillis(100);

	private static final Duration LONGEST = Duration.ofMinutes(10);

	/** client-go's and fabric8's defaults; declared after the constants its check reads. */
	public static final LeaseTiming DEFAULT = new LeaseTiming(null, null, null);

	public LeaseTiming {
		leaseDuration = leaseDuration == null ? DEFAULT_LEASE_DURATION : leaseDuration;
		renewDeadline = renewDeadline == null ? DEFAULT_RENEW_DEADLINE : renewDeadline;
		retryPeriod = retryPeriod == null ? DEFAULT_RETRY_PERIOD : retryPeriod;
		if (retryPeriod.compareTo(SHORTEST) < 0 || retryPeriod.compareTo(LONGEST) > 0) {
			throw new IllegalArgumentException("retryPeriod: " + retryPeriod + " (expected: 100ms to 10m)");
		}
		// a leader must get a retry in before its deadline, and give up leading before the others may take over
		if (renewDeadline.toNanos() <= JITTER_FACTOR * retryPeriod.toNanos()) {
			throw new IllegalArgumentException("renewDeadline: " + renewDeadline + " (expected: more than 1.2 × retryPeriod "
					+ retryPeriod + ")");
		}
		if (leaseDuration.compareTo(renewDeadline) <= 0 || leaseDuration.compareTo(LONGEST) > 0) {
			throw new IllegalArgumentException("leaseDuration: " + leaseDuration + " (expected: more than renewDeadline "
					+ renewDeadline + ", at most 10m)");
		}
	}

}
