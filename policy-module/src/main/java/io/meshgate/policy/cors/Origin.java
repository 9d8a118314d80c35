package io.meshgate.policy.cors;

import java.util.Locale;

import io.meshgate.policy.edge.HostNames;

/**
 * A web origin, {@code scheme://host[:port]} (RFC 6454), of scheme http or https: as a request's
 * {@code Origin} header carries it, or as a policy allows it, where the host may also be
 * {@code *} or start with {@code *.}. The host is kept in lower case and the port always known
 * (80 or 443 when absent), so that {@link #toString()} is the origin as browsers serialize it.
 * Anything else (a path, user info, another scheme, an empty label, a port out of range, more
 * than {@value #MAX_LENGTH} characters) is not an origin.
 *
 * @param host lower case; a bracketed IPv6 address; in a policy also {@code *} or {@code *.suffix}
 */
record Origin(String scheme, String host, int port) {

	/** Gateway API allows 253 characters of origin; a request's may carry a port and an IPv6 host. */
	static final int MAX_LENGTH = 300;

	private static final String HTTP = "http://";

	private static final String HTTPS = "https://";

	/** The origin a request sent, or {@code null} when it is not a well-formed http or https origin. */
	static Origin ofRequest(String text) {
		return parse(text, false);
	}

	/** An origin as a policy allows it; throws {@code field: text (expected: …)} when it is not one. */
	static Origin configured(String text, String field) {
		Origin origin = parse(text, true);
		if (origin == null) {
			throw new IllegalArgumentException(field + ": " + text + " (expected: http or https://host[:port], "
					+ "the host may start with *. or be *; no path)");
		}
		return origin;
	}

	/** Whether the host stands for several ({@code *} or {@code *.suffix}). */
	boolean wildcard() {
		return host.charAt(0) == '*';
	}

	/** Whether this origin, as a policy allows it, allows {@code request}'s origin. */
	boolean allows(Origin request) {
		if (port != request.port || !scheme.equals(request.scheme)) {
			return false;
		}
		if (!wildcard()) {
			return host.equals(request.host);
		}
		// "*.example.com" stands for one or more labels: the request's host ends with ".example.com"
		int suffix = host.length() - 1;
		return suffix == 0 || request.host.length() > suffix && request.host.charAt(0) != '['
				&& request.host.regionMatches(request.host.length() - suffix, host, 1, suffix);
	}

	@Override
	public String toString() {
		boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
		return scheme + "://" + host + (defaultPort ? "" : ":" + port);
	}

	private static Origin parse(String text, boolean wildcards) {
		if (text == null || text.length() > MAX_LENGTH) {
			return null;
		}
		String scheme;
		int start;
		if (text.regionMatches(true, 0, HTTPS, 0, HTTPS.length())) {
			scheme = "https";
			start = HTTPS.length();
		}
		else if (text.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
			scheme = "http";
			start = HTTP.length();
		}
		else {
			return null;
		}
		int hostEnd;
		boolean hostValid;
		if (start < text.length() && text.charAt(start) == '[') {
			hostEnd = text.indexOf(']', start) + 1;
			hostValid = hostEnd > start && HostNames.isIpv6Literal(text, start, hostEnd);
		}
		else {
			int colon = text.indexOf(':', start);
			hostEnd = colon < 0 ? text.length() : colon;
			hostValid = hostEnd > start && dnsName(text, start, hostEnd, wildcards);
		}
		if (!hostValid) {
			return null;
		}
		int port = scheme.equals("https") ? 443 : 80;
		if (hostEnd < text.length()) {
			port = port(text, hostEnd);
			if (port < 0) {
				return null;
			}
		}
		return new Origin(scheme, text.substring(start, hostEnd).toLowerCase(Locale.ROOT), port);
	}

	/** {@code :port} at {@code from}, 1-65535 in at most 5 digits, to the end; -1 if not. */
	private static int port(String text, int from) {
		int length = text.length() - from - 1;
		if (text.charAt(from) != ':' || length < 1 || length > 5) {
			return -1;
		}
		int port = 0;
		for (int i = from + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			port = port * 10 + (c - '0');
		}
		return port >= 1 && port <= 65535 ? port : -1;
	}

	/** A DNS name ({@link HostNames#isDnsName}); with {@code wildcards}, also {@code *} alone or as the whole first label. */
	private static boolean dnsName(String text, int from, int to, boolean wildcards) {
		if (wildcards && text.charAt(from) == '*') {
			if (to == from + 1) {
				return true;
			}
			if (text.charAt(from + 1) != '.') {
				return false;
			}
			from += 2;
		}
		return HostNames.isDnsName(text, from, to);
	}

}
