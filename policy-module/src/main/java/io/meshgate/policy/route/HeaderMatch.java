package io.meshgate.policy.route;

/**
 * The arguments of the {@code HeaderMatch} predicate: {@code HeaderMatch=x-env, canary|beta}.
 *
 * @param header the header's name; required
 * @param regexp a regular expression (RE2 syntax, {@link LinearRegex}) one of the header's values
 * must match wholly; required
 */
public record HeaderMatch(String header, String regexp) {

	public HeaderMatch {
		if (header == null || header.isBlank()) {
			throw new IllegalArgumentException("header: " + header + " (expected: a header name)");
		}
		LinearRegex.compile("regexp", regexp);
	}

}
