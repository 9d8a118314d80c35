package io.meshgate.policy.rewrite;

/**
 * Changes to a request before it goes upstream, as Gateway API's {@code HTTPURLRewriteFilter}:
 * {@code rewrite: {hostname: orders.internal, replacePrefixMatch: /v2}}.
 *
 * @param hostname the {@code Host} header the upstream receives; default: the upstream endpoint's
 * address, as without a rewrite
 * @param preserveHost the upstream receives the client's {@code Host} header as sent (Gateway API
 * routes always do); not together with {@code hostname}; default false: the endpoint's address
 * @param replaceFullPath the path the upstream receives instead of the request's; query kept
 * @param replacePrefixMatch replaces the part of the path the route's {@code PREFIX} match
 * matched, element-wise ({@code /foo} to {@code /bar}: {@code /foo/x} becomes {@code /bar/x});
 * only with {@code match.pathType: PREFIX}, and not together with {@code replaceFullPath}
 */
public record RewritePolicy(String hostname, String replaceFullPath, String replacePrefixMatch, Boolean preserveHost) {

	public RewritePolicy {
		hostname = blankToNull(hostname);
		replaceFullPath = blankToNull(replaceFullPath);
		replacePrefixMatch = blankToNull(replacePrefixMatch);
		PathRewrites.checkHostname("hostname", hostname);
		PathRewrites.checkOnePath(replaceFullPath, replacePrefixMatch);
		preserveHost = preserveHost != null && preserveHost;
		if (preserveHost && hostname != null) {
			throw new IllegalArgumentException("preserveHost: true (expected: false with hostname, which sets the Host)");
		}
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	public static RewritePolicy hostname(String hostname) {
		return new RewritePolicy(hostname, null, null, false);
	}

	public static RewritePolicy fullPath(String path) {
		return new RewritePolicy(null, path, null, false);
	}

	public static RewritePolicy prefix(String replacement) {
		return new RewritePolicy(null, null, replacement, false);
	}

	static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text.trim();
	}

}
