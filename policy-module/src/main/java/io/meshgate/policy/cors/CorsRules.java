package io.meshgate.policy.cors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link CorsPolicy} compiled once, when its route is built, into what a request is checked
 * against: exact origins in a hash set of their browser form (one lookup, no allocation, for the
 * origins browsers send), wildcard origins apart, and the header values the answers carry.
 */
final class CorsRules {

	/** The request's origin, method and header names were allowed, or the first that was not. */
	enum Outcome {

		ALLOWED("allowed"), ORIGIN_DENIED("origin_denied"), METHOD_DENIED("method_denied"),
		HEADERS_DENIED("headers_denied");

		final String tag;

		Outcome(String tag) {
			this.tag = tag;
		}

	}

	final CorsPolicy policy;

	private final Set<String> exactOrigins = new HashSet<>();

	private final List<Origin> wildcardOrigins = new ArrayList<>();

	private final boolean anyOrigin;

	private final boolean nullOrigin;

	private final boolean anyMethod;

	private final List<String> methods;

	final boolean anyHeader;

	private final List<String> headers;

	/** {@code Access-Control-Allow-Methods} of a preflight, unless any method is allowed; null for none. */
	final String allowMethods;

	/** {@code Access-Control-Allow-Headers} of a preflight, unless any header is allowed; null for none. */
	final String allowHeaders;

	/** {@code Access-Control-Expose-Headers}, unless all are exposed; null for none. */
	final String exposeHeaders;

	final boolean exposeAll;

	final boolean credentials;

	/** {@code Access-Control-Max-Age}: whole seconds. */
	final String maxAge;

	CorsRules(CorsPolicy policy) {
		this.policy = policy;
		boolean any = false;
		boolean withNull = false;
		for (String origin : policy.allowOrigins()) {
			if (CorsPolicy.ANY.equals(origin)) {
				any = true;
			}
			else if (CorsPolicy.NULL_ORIGIN.equals(origin)) {
				withNull = true;
			}
			else {
				Origin allowed = Origin.configured(origin, "allowOrigins");
				if (allowed.wildcard()) {
					wildcardOrigins.add(allowed);
				}
				else {
					exactOrigins.add(allowed.toString());
				}
			}
		}
		this.anyOrigin = any;
		this.nullOrigin = withNull;
		this.anyMethod = policy.allowMethods().contains(CorsPolicy.ANY);
		this.methods = policy.allowMethods();
		this.anyHeader = policy.allowHeaders().contains(CorsPolicy.ANY);
		this.headers = policy.allowHeaders().stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
		this.allowMethods = anyMethod || methods.isEmpty() ? null : String.join(", ", methods);
		this.allowHeaders = anyHeader || headers.isEmpty() ? null : String.join(", ", policy.allowHeaders());
		this.exposeAll = policy.exposeHeaders().contains(CorsPolicy.ANY);
		this.exposeHeaders = exposeAll || policy.exposeHeaders().isEmpty() ? null
				: String.join(", ", policy.exposeHeaders());
		this.credentials = policy.allowCredentials();
		this.maxAge = String.valueOf(policy.maxAge().getSeconds());
	}

	/**
	 * Whether {@code origin}, a request's {@code Origin} header, is allowed: a well-formed http or
	 * https origin the policy lists or matches, or {@code null} where the policy lists it.
	 */
	boolean allowsOrigin(String origin) {
		if (exactOrigins.contains(origin)) {
			return true; // the set holds well-formed origins only
		}
		if (CorsPolicy.NULL_ORIGIN.equals(origin)) {
			return nullOrigin;
		}
		Origin request = Origin.ofRequest(origin);
		if (request == null) {
			return false;
		}
		if (anyOrigin || exactOrigins.contains(request.toString())) {
			return true;
		}
		for (Origin allowed : wildcardOrigins) {
			if (allowed.allows(request)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a preflight may ask for {@code method} ({@code Access-Control-Request-Method}): a
	 * token, and safelisted, listed, or any allowed.
	 */
	boolean allowsMethod(String method) {
		if (!HttpTokens.isToken(method, 0, method.length())) {
			return false;
		}
		return anyMethod || method.equals("GET") || method.equals("HEAD") || method.equals("POST")
				|| methods.contains(method);
	}

	/**
	 * Whether a preflight may ask for {@code requested} ({@code Access-Control-Request-Headers}, a
	 * comma-separated list; {@code null} for none): every name a token, each listed or any allowed.
	 */
	boolean allowsHeaders(String requested) {
		if (requested == null) {
			return true;
		}
		int length = requested.length();
		int start = 0;
		while (start <= length) {
			int comma = requested.indexOf(',', start);
			int end = comma < 0 ? length : comma;
			int from = HttpTokens.skipSpaces(requested, start, end);
			int to = HttpTokens.trimSpaces(requested, from, end);
			if (from == to) {
				if (comma >= 0 || start > 0) {
					return false; // an empty element
				}
			}
			else if (!HttpTokens.isToken(requested, from, to) || !anyHeader && !listed(requested, from, to)) {
				return false;
			}
			start = end + 1;
		}
		return true;
	}

	private boolean listed(String text, int from, int to) {
		for (String header : headers) {
			if (header.length() == to - from && text.regionMatches(true, from, header, 0, header.length())) {
				return true;
			}
		}
		return false;
	}

}
