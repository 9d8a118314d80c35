package io.meshgate.policy.grpc;

import java.time.Duration;

/**
 * The {@code grpc-timeout} header: at most 8 digits and a unit ({@code H M S m u n}), as the gRPC
 * over HTTP/2 protocol defines it.
 */
public final class GrpcTimeout {

	public static final String HEADER = "grpc-timeout";

	private static final long MAX_VALUE = 99_999_999L;

	/** Longer deadlines are read as this one: 99,999,999 hours would overflow the timers' nanoseconds. */
	static final Duration LONGEST = Duration.ofDays(365);

	private GrpcTimeout() {
	}

	/** The duration a value states, or {@code null} when it is malformed (then it is ignored, as Envoy does). */
	public static Duration parse(String value) {
		if (value == null || value.length() < 2 || value.length() > 9) {
			return null;
		}
		long amount = 0;
		for (int i = 0; i < value.length() - 1; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			amount = amount * 10 + (c - '0');
		}
		Duration timeout = switch (value.charAt(value.length() - 1)) {
			case 'H' -> Duration.ofHours(amount);
			case 'M' -> Duration.ofMinutes(amount);
			case 'S' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMillis(amount);
			case 'u' -> Duration.ofNanos(amount * 1000);
			case 'n' -> Duration.ofNanos(amount);
			default -> null;
		};
		return timeout == null || timeout.compareTo(LONGEST) <= 0 ? timeout : LONGEST;
	}

	/** {@code timeout} as a header value, in the finest unit that keeps it within 8 digits. */
	public static String format(Duration timeout) {
		long nanos = Math.max(timeout.toNanos(), 0);
		if (nanos <= MAX_VALUE) {
			return nanos + "n";
		}
		long micros = nanos / 1000;
		if (micros <= MAX_VALUE) {
			return micros + "u";
		}
		long millis = nanos / 1_000_000;
		if (millis <= MAX_VALUE) {
			return millis + "m";
		}
		long seconds = timeout.toSeconds();
		return seconds <= MAX_VALUE ? seconds + "S" : Math.min(timeout.toMinutes(), MAX_VALUE) + "M";
	}

}
