package io.meshgate.policy.rewrite;

import java.util.Locale;
import java.util.Set;

/**
 * Answers the request with a redirect instead of calling an upstream, as Gateway API's
 * {@code HTTPRequestRedirectFilter}: the request's URL with the given parts replaced, query kept.
 * {@code redirect: {scheme: https, statusCode: 301}}.
 *
 * @param scheme {@code http} or {@code https}; default: the request's
 * @param hostname default: the request's host
 * @param port default: the scheme's well-known port (80, 443) when {@code scheme} is given,
 * otherwise the request's port; a scheme's well-known port is left out of {@code Location}
 * @param replaceFullPath the path to redirect to; default: the request's
 * @param replacePrefixMatch replaces the part of the path the route's {@code PREFIX} match
 * matched, element-wise; only with {@code match.pathType: PREFIX}, and not together with
 * {@code replaceFullPath}
 * @param statusCode 301, 302, 303, 307 or 308; default 302
 */
public record RedirectPolicy(String scheme, String hostname, Integer port, String replaceFullPath,
		String replacePrefixMatch, int statusCode) {

	public static final int DEFAULT_STATUS_CODE = 302;

	private static final Set<Integer> STATUS_CODES = Set.of(301, 302, 303, 307, 308);

	public RedirectPolicy {
		scheme = RewritePolicy.blankToNull(scheme);
		if (scheme != null) {
			scheme = scheme.toLowerCase(Locale.ROOT);
			if (!scheme.equals("http") && !scheme.equals("https")) {
				throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
			}
		}
		hostname = RewritePolicy.blankToNull(hostname);
		PathRewrites.checkHostname("hostname", hostname);
		if (port != null && (port < 1 || port > 65535)) {
			throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
		}
		replaceFullPath = RewritePolicy.blankToNull(replaceFullPath);
		replacePrefixMatch = RewritePolicy.blankToNull(replacePrefixMatch);
		PathRewrites.checkOnePath(replaceFullPath, replacePrefixMatch);
		statusCode = statusCode == 0 ? DEFAULT_STATUS_CODE : statusCode;
		if (!STATUS_CODES.contains(statusCode)) {
			throw new IllegalArgumentException("statusCode: " + statusCode + " (expected: 301, 302, 303, 307 or 308)");
		}
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	/** To the same URL over HTTPS, as 301: the usual HTTP-to-HTTPS redirect. */
	public static RedirectPolicy toHttps() {
		return new RedirectPolicy("https", null, null, null, null, 301);
	}

	public static RedirectPolicy toPath(String path, int statusCode) {
		return new RedirectPolicy(null, null, null, path, null, statusCode);
	}

	/** The Location for a request to {@code scheme://host:port/path?query}; {@code prefix} the matched prefix, if any. */
	public String location(String requestScheme, String requestHost, int requestPort, String path, String query,
			String prefix) {
		String toScheme = scheme != null ? scheme : requestScheme;
		String toHost = hostname != null ? hostname : requestHost;
		int toPort = port != null ? port : scheme != null ? -1 : requestPort;
		String toPath = replaceFullPath != null ? replaceFullPath
				: replacePrefixMatch != null ? PathRewrites.replacePrefix(path, prefix, replacePrefixMatch) : path;
		boolean defaultPort = toPort < 0 || toPort == 80 && toScheme.equals("http")
				|| toPort == 443 && toScheme.equals("https");
		return toScheme + "://" + toHost + (defaultPort ? "" : ":" + toPort) + toPath
				+ (query == null || query.isEmpty() ? "" : "?" + query);
	}

}
