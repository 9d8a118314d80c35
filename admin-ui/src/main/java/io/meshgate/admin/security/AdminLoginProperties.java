package io.meshgate.admin.security;

import java.time.Duration;

/**
 * {@code meshgate.admin.login.*}: how much password guessing the admin port absorbs. A password
 * check is a bcrypt verification (tens to hundreds of milliseconds of CPU), so both the number
 * of checks at once and the failures per user and per client address are bounded.
 *
 * @param maxConcurrentChecks bcrypt checks running at once, each on a thread of its own (never an
 * event loop); default {@code max(1, CPUs / 2)}, so guessing never takes more than half the
 * CPUs from routed traffic
 * @param maxQueuedChecks checks waiting for one of those threads, per thread (at least 1); beyond
 * them a login is answered 429 with {@code Retry-After} at once; default 8
 * @param maxFailuresPerUser failed logins of one user name within {@code failureWindow} after
 * which that name is refused (429, even with the right password) until the window ends;
 * default 5
 * @param maxFailuresPerAddress the same for one client address (the TCP peer; IPv6 by its /64);
 * default 20
 * @param failureWindow how long failures are counted from the first one, and so the longest
 * lock-out; default 15 minutes
 */
public record AdminLoginProperties(Integer maxConcurrentChecks, Integer maxQueuedChecks, Integer maxFailuresPerUser,
		Integer maxFailuresPerAddress, Duration failureWindow) {

	public static final int DEFAULT_MAX_QUEUED_CHECKS = 8;

	public static final int DEFAULT_MAX_FAILURES_PER_USER = 5;

	public static final int DEFAULT_MAX_FAILURES_PER_ADDRESS = 20;

	public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofMinutes(15);

	public AdminLoginProperties {
		maxConcurrentChecks = maxConcurrentChecks == null
				? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : maxConcurrentChecks;
		maxQueuedChecks = maxQueuedChecks == null ? DEFAULT_MAX_QUEUED_CHECKS : maxQueuedChecks;
		maxFailuresPerUser = maxFailuresPerUser == null ? DEFAULT_MAX_FAILURES_PER_USER : maxFailuresPerUser;
		maxFailuresPerAddress = maxFailuresPerAddress == null ? DEFAULT_MAX_FAILURES_PER_ADDRESS : maxFailuresPerAddress;
		failureWindow = failureWindow == null ? DEFAULT_FAILURE_WINDOW : failureWindow;
		atLeast("maxConcurrentChecks", maxConcurrentChecks, 1);
		atLeast("maxQueuedChecks", maxQueuedChecks, 1);
		atLeast("maxFailuresPerUser", maxFailuresPerUser, 1);
		atLeast("maxFailuresPerAddress", maxFailuresPerAddress, 1);
		if (failureWindow.isNegative() || failureWindow.isZero()) {
			throw new IllegalArgumentException("login.failureWindow: " + failureWindow + " (expected: > 0)");
		}
	}

	/** All defaults. */
	public static AdminLoginProperties defaults() {
		return new AdminLoginProperties(null, null, null, null, null);
	}

	private static void atLeast(String field, int value, int minimum) {
		if (value < minimum) {
			throw new IllegalArgumentException("login." + field + ": " + value + " (expected: >= " + minimum + ")");
		}
	}

}
