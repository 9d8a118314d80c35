package io.meshgate.policy.l4;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.meshgate.policy.edge.HostNames;

/**
 * The checks every L4 route makes of its fields, in one place: the name, backends of which at
 * least one may receive connections, and SNI host names.
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

	/**
	 * A passthrough host in the forms route hosts take ({@code route.HostPattern}, which matches
	 * them at run time): a DNS name, {@code *.} or {@code **.} before one; in lower case. SNI
	 * carries DNS names only, so IP literals are refused.
	 */
	static String host(String field, String host) {
		String text = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
		String name = text.startsWith("**.") ? text.substring(3) : text.startsWith("*.") ? text.substring(2) : text;
		if (!HostNames.isDnsName(name, 0, name.length())) {
			throw new IllegalArgumentException(field + ": " + host + " (expected: a host name as db.example.com, "
					+ "*.example.com for every name below example.com, or **.example.com for example.com and every "
					+ "name below it; no port)");
		}
		return text;
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
