package io.meshgate.policy.l4;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks every L4 route makes of its fields, in one place: the name, and backends of which
 * at least one may receive connections.
 */
final class L4Routes {

	/** A DNS label, as upstream names: route names appear in metric tags and log lines. */
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	private L4Routes() {
	}

	static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"name: " + name + " (expected: a DNS label, lower case letters, digits and '-', at most 63)");
		}
	}

	static List<L4Backend> backends(List<L4Backend> backends) {
		List<L4Backend> copy = backends == null ? List.of() : List.copyOf(backends);
		if (copy.stream().mapToLong(L4Backend::weight).sum() <= 0) {
			throw new IllegalArgumentException("backends: " + copy.size()
					+ " (expected: at least one backend with a weight above 0)");
		}
		return copy;
	}

}
