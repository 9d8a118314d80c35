package io.meshgate.policy.route;

/**
 * The arguments of the {@code QueryMatch} predicate: {@code QueryMatch=version, v[12]}.
 *
 * @param param the query parameter's name; required
 * @param regexp a regular expression (RE2 syntax, {@link LinearRegex}) the parameter's first value
 * must match wholly; default: the empty value only
 */
public record QueryMatch(String param, String regexp) {

	public QueryMatch {
		if (param == null || param.isBlank()) {
			throw new IllegalArgumentException("param: " + param + " (expected: a query parameter name)");
		}
		regexp = regexp == null ? "" : regexp;
		LinearRegex.compile("regexp", regexp);
	}

}
