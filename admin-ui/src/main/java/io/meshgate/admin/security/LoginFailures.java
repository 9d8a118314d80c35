package io.meshgate.admin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins per key (a user name, or a client address), counted in a window that opens with
 * the first failure: once {@code limit} failures are in, the key is refused until the window
 * closes, whatever password comes. At most {@value #MAX_KEYS} keys are remembered (the least
 * useful ones are evicted first), so an attacker rotating names or addresses cannot grow memory;
 * evicting loses counts, which the other key kind (address for rotated names, name for rotated
 * addresses) still holds.
 */
final class LoginFailures {

	static final int MAX_KEYS = 10_000;

	private final int limit;

	private final Duration window;

	private final Clock clock;

	private final Cache<String, Window> windows;

	LoginFailures(int limit, Duration window, Clock clock) {
		this.limit = limit;
		this.window = window;
		this.clock = clock;
		this.windows = Caffeine.newBuilder().maximumSize(MAX_KEYS).build();
	}

	/** How long {@code key} is still refused; {@link Duration#ZERO} when it may try. */
	Duration lockedFor(String key) {
		Window current = windows.getIfPresent(key);
		if (current == null) {
			return Duration.ZERO;
		}
		Instant now = clock.instant();
		if (!now.isBefore(current.end())) {
			windows.asMap().remove(key, current);
			return Duration.ZERO;
		}
		return current.failures() >= limit ? Duration.between(now, current.end()) : Duration.ZERO;
	}

	/** Counts a failure of {@code key}; returns the failures in its current window. */
	int failed(String key) {
		Instant now = clock.instant();
		return windows.asMap()
			.compute(key, (k, current) -> current == null || !now.isBefore(current.end())
					? new Window(now.plus(window), 1) : new Window(current.end(), current.failures() + 1))
			.failures();
	}

	void succeeded(String key) {
		windows.invalidate(key);
	}

	/** Keys remembered now, after pending evictions. */
	long keys() {
		windows.cleanUp();
		return windows.estimatedSize();
	}

	private record Window(Instant end, int failures) {
	}

}
