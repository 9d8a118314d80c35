package io.meshgate.policy.rewrite;

import java.util.regex.Pattern;

/** Path checks and Gateway API's element-wise prefix replacement, shared by rewrites and redirects. */
public final class PathRewrites {

	/** RFC 3986 path characters, percent-encoded octets included. */
	private static final Pattern PATH = Pattern.compile("/([-A-Za-z0-9._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*");

	private static final Pattern HOSTNAME = Pattern
		.compile("(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*");

	private PathRewrites() {
	}

	/**
	 * The path with its {@code prefix} (matched element-wise) replaced by {@code replacement}:
	 * prefix {@code /foo}, replacement {@code /bar}: {@code /foo/x} becomes {@code /bar/x}; with
	 * replacement {@code /}, {@code /foo/x} becomes {@code /x} and {@code /foo} becomes {@code /}.
	 * Trailing slashes of prefix and replacement do not count.
	 */
	public static String replacePrefix(String path, String prefix, String replacement) {
		String matched = trimSlash(prefix);
		String rest = path.startsWith(matched) ? path.substring(matched.length()) : path;
		String replaced = trimSlash(replacement) + rest;
		return replaced.isEmpty() ? "/" : replaced;
	}

	private static String trimSlash(String path) {
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** Throws {@code field: value (expected: …)} unless {@code path} is null or an absolute URL path. */
	static void checkPath(String field, String path) {
		if (path != null && !PATH.matcher(path).matches()) {
			throw new IllegalArgumentException(field + ": " + path
					+ " (expected: a path starting with /, without query, spaces or other characters to escape)");
		}
	}

	/** Throws {@code field: value (expected: …)} unless {@code hostname} is null or a DNS name or IPv4 address. */
	static void checkHostname(String field, String hostname) {
		if (hostname != null && !HOSTNAME.matcher(hostname).matches()) {
			throw new IllegalArgumentException(field + ": " + hostname + " (expected: a host name as in "
					+ "api.example.com, without port)");
		}
	}

	/**
	 * Throws {@code prefix: value (expected: …)} unless {@code prefix}, the path prefix a route
	 * matches, is given where {@code replacePrefixMatch} needs it.
	 */
	static void checkPrefix(String prefix, String replacePrefixMatch) {
		if (replacePrefixMatch != null && (prefix == null || !prefix.startsWith("/"))) {
			throw new IllegalArgumentException(
					"prefix: " + prefix + " (expected: the path prefix the route matches, with replacePrefixMatch)");
		}
	}

	static void checkOnePath(String replaceFullPath, String replacePrefixMatch) {
		if (replaceFullPath != null && replacePrefixMatch != null) {
			throw new IllegalArgumentException("replacePrefixMatch: " + replacePrefixMatch
					+ " (expected: either replaceFullPath or replacePrefixMatch, not both)");
		}
		checkPath("replaceFullPath", replaceFullPath);
		checkPath("replacePrefixMatch", replacePrefixMatch);
	}

}
