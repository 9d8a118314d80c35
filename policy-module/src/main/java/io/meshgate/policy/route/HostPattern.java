package io.meshgate.policy.route;

import java.util.Locale;

import io.meshgate.policy.edge.HostNames;

/**
 * The host names a route takes, matched against the request's host as the edge normalized it
 * ({@code io.meshgate.policy.edge.RequestHost}: lower case, without port or trailing dot):
 * <ul>
 * <li>{@code shop.example.com}: that name only; an IP literal ({@code 192.0.2.1}, {@code [::1]})
 * likewise;</li>
 * <li>{@code *.example.com}: every name one or more labels below {@code example.com}
 * ({@code a.example.com}, {@code a.b.example.com}), never {@code example.com} itself, as Gateway
 * API, Envoy and Istio read a wildcard;</li>
 * <li>{@code **.example.com}: {@code example.com} and every name below it.</li>
 * </ul>
 * Patterns are case-insensitive and kept in lower case; a port is never part of one. Matching is
 * a comparison of strings: no regular expression runs per request.
 */
public final class HostPattern {

	private enum Kind {
		EXACT, BELOW, AT_OR_BELOW
	}

	private final Kind kind;

	/** The exact name, or the wildcard's domain without its leading wildcard label. */
	private final String name;

	/** {@code .} and {@link #name}: what a name below the domain ends with. */
	private final String suffix;

	private HostPattern(Kind kind, String name) {
		this.kind = kind;
		this.name = name;
		this.suffix = "." + name;
	}

	/**
	 * @param field the field holding the pattern, for the error
	 * @throws IllegalArgumentException {@code field: pattern (expected: …)} for anything but the
	 * three forms
	 */
	public static HostPattern of(String field, String pattern) {
		String text = pattern == null ? "" : pattern.trim().toLowerCase(Locale.ROOT);
		Kind kind = text.startsWith("**.") ? Kind.AT_OR_BELOW : text.startsWith("*.") ? Kind.BELOW : Kind.EXACT;
		String name = text.substring(kind == Kind.AT_OR_BELOW ? 3 : kind == Kind.BELOW ? 2 : 0);
		boolean valid = kind == Kind.EXACT && HostNames.isIpv6Literal(name, 0, name.length())
				|| HostNames.isDnsName(name, 0, name.length());
		if (!valid) {
			throw new IllegalArgumentException(field + ": " + pattern + " (expected: a host name as shop.example.com, "
					+ "*.example.com for every name below example.com, or **.example.com for example.com and every "
					+ "name below it; no port)");
		}
		return new HostPattern(kind, name);
	}

	/** @param host a host as {@code RequestHost} normalizes it; the empty string (no usable Host) matches nothing */
	public boolean matches(String host) {
		return switch (kind) {
			case EXACT -> name.equals(host);
			case BELOW -> host.length() > suffix.length() && host.endsWith(suffix);
			case AT_OR_BELOW -> name.equals(host) || host.length() > suffix.length() && host.endsWith(suffix);
		};
	}

	/** The pattern as written in a route, in lower case. */
	@Override
	public String toString() {
		return switch (kind) {
			case EXACT -> name;
			case BELOW -> "*." + name;
			case AT_OR_BELOW -> "**." + name;
		};
	}

}
