package io.meshgate.policy.schema;

import java.util.regex.Pattern;

/**
 * The name (or id) of a configuration object that others refer to by it: a route, a JWT provider,
 * an authorization policy. It appears in admin API paths ({@code /api/routes/{id}}), metric tags
 * and error paths ({@code routes[orders].timeout}), so it is one safe token.
 */
public final class ObjectName {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,127}");

	private ObjectName() {
	}

	/**
	 * @param field the record's field that holds the name, for the error
	 * @throws IllegalArgumentException {@code field: name (expected: …)} when it is not a name
	 */
	public static void require(String field, String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					field + ": " + name + " (expected: letters, digits, '-', '_' or '.', at most 128)");
		}
	}

}
