package io.meshgate.policy.canary;

import java.util.regex.Pattern;

import io.meshgate.policy.hash.HashKey;

/**
 * How a route's split treats individual clients:
 * {@code canary: {stickyOn: cookie:session, overrideHeader: x-canary}}.
 *
 * @param stickyOn the request part that identifies a client; the same value always reaches the
 * same backend on every replica; default: none, each request draws anew
 * @param overrideHeader a header whose value names the backend to use (for testers), even one
 * with weight 0; default {@code x-canary}; an empty string turns it off
 */
public record CanaryPolicy(HashKey stickyOn, String overrideHeader) {

	public static final String DEFAULT_OVERRIDE_HEADER = "x-canary";

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	public static final CanaryPolicy DEFAULT = new CanaryPolicy(null, null);

	public CanaryPolicy {
		overrideHeader = overrideHeader == null ? DEFAULT_OVERRIDE_HEADER : overrideHeader.trim();
		if (!overrideHeader.isEmpty() && !TOKEN.matcher(overrideHeader).matches()) {
			throw new IllegalArgumentException(
					"overrideHeader: " + overrideHeader + " (expected: a header name, or empty to turn it off)");
		}
	}

	public boolean overridable() {
		return !overrideHeader.isEmpty();
	}

}
