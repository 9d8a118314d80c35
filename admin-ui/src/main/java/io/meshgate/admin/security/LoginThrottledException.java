package io.meshgate.admin.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/**
 * A login that was not checked: too many checks at once, or too many failures of its user or
 * client address. Answered 429 with {@code Retry-After} by {@link LoginThrottledAnswer}.
 */
final class LoginThrottledException extends AuthenticationException {

	private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

	private final Duration retryAfter;

	LoginThrottledException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	static LoginThrottledException busy() {
		return new LoginThrottledException("Too many password checks at once", BUSY_RETRY);
	}

	/** Whole seconds, rounded up, at least 1. */
	long retryAfterSeconds() {
		long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
		return Math.max(1, seconds);
	}

}
