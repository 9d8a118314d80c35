package io.meshgate.policy.cors;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.convert.DurationUnit;

import io.meshgate.policy.schema.Example;

/**
 * Cross-origin resource sharing for a route's browser clients, as Gateway API's
 * {@code HTTPCORSFilter} (GEP-1767) defines it:
 *
 * <pre>
 * cors:
 *   allowOrigins: [https://shop.example.com, "https://*.example.com"]
 *   allowMethods: [GET, POST, DELETE]
 *   allowHeaders: [authorization, content-type]
 *   exposeHeaders: [x-request-id]
 *   allowCredentials: true
 *   maxAge: 1h
 * </pre>
 *
 * The gateway answers preflights itself, at route lookup, so that authentication, rate limits,
 * faults and the upstream never see them; it gives actual responses of allowed origins
 * {@code Access-Control-Allow-Origin} and always {@code Vary: Origin}. The answers echo the
 * request's own origin, method and header names (checked first), never {@code *}, which the
 * Fetch standard refuses with credentials and which never covers {@code Authorization}.
 *
 * @param allowOrigins origins whose scripts may read the route's responses, each
 * {@code http(s)://host[:port]}, the port defaulting to 80 or 443 as the scheme says; a host may
 * start with {@code *.}, which stands for one or more DNS labels ({@code https://*.example.com}
 * matches {@code https://a.b.example.com}, not {@code https://example.com}), or be {@code *}
 * (any host of that scheme and port). {@code "*"} alone allows every http and https origin, and
 * stands alone. {@code "null"} (the origin of sandboxed and {@code file:} pages) is allowed only
 * when listed, and never with {@code allowCredentials}. Required: at least one, at most 64
 * @param allowMethods methods a preflight may ask for, case-sensitive; {@code GET}, {@code HEAD}
 * and {@code POST} (the CORS-safelisted ones) are always allowed; {@code "*"} alone allows every
 * method; at most 9; default none beyond the safelisted ones
 * @param allowHeaders request headers a preflight may ask for, case-insensitive; {@code "*"}
 * alone allows any; at most 64; default none (only headers browsers send without asking)
 * @param exposeHeaders response headers scripts may read beyond the CORS-safelisted ones,
 * case-insensitive; {@code "*"} alone exposes all of a response's headers; at most 64; default none
 * @param allowCredentials whether browsers may send cookies and HTTP authentication and let scripts
 * read the answers ({@code Access-Control-Allow-Credentials: true}); default false
 * @param maxAge how long a browser may cache a preflight's answer, whole seconds ({@code 600}
 * means seconds, as in Gateway API; {@code 10m} works too), at least 1s; default 5s
 */
public record CorsPolicy(@Example({ "https://shop.example.com", "https://*.example.com" }) List<String> allowOrigins,
		@Example({ "GET", "POST" }) List<String> allowMethods,
		@Example({ "authorization", "content-type" }) List<String> allowHeaders,
		@Example("x-request-id") List<String> exposeHeaders, Boolean allowCredentials,
		@Example("1h") @DurationUnit(ChronoUnit.SECONDS) Duration maxAge) {

	/** Gateway API's default {@code Access-Control-Max-Age}. */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

	/** Gateway API's limits on the lists. */
	static final int MAX_ORIGINS = 64;

	static final int MAX_METHODS = 9;

	static final int MAX_HEADERS = 64;

	static final String ANY = "*";

	static final String NULL_ORIGIN = "null";

	public CorsPolicy {
		allowOrigins = list("allowOrigins", allowOrigins, MAX_ORIGINS);
		if (allowOrigins.isEmpty()) {
			throw new IllegalArgumentException("allowOrigins: [] (expected: at least one origin, as "
					+ "https://shop.example.com, https://*.example.com or *)");
		}
		allowCredentials = allowCredentials != null && allowCredentials;
		Set<String> origins = new TreeSet<>();
		for (int i = 0; i < allowOrigins.size(); i++) {
			String origin = allowOrigins.get(i);
			String field = "allowOrigins[" + i + "]";
			String canonical = ANY.equals(origin) || NULL_ORIGIN.equals(origin) ? origin
					: Origin.configured(origin, field).toString();
			if (NULL_ORIGIN.equals(origin) && allowCredentials) {
				throw new IllegalArgumentException(field + ": null (expected: not with allowCredentials: true; "
						+ "any sandboxed page sends Origin: null)");
			}
			if (!origins.add(canonical)) {
				throw new IllegalArgumentException(field + ": " + origin + " (expected: each origin once)");
			}
		}
		onlyAlone("allowOrigins", allowOrigins);
		allowMethods = list("allowMethods", allowMethods, MAX_METHODS);
		tokens("allowMethods", allowMethods, false);
		allowHeaders = list("allowHeaders", allowHeaders, MAX_HEADERS);
		tokens("allowHeaders", allowHeaders, true);
		exposeHeaders = list("exposeHeaders", exposeHeaders, MAX_HEADERS);
		tokens("exposeHeaders", exposeHeaders, true);
		maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
		if (maxAge.getNano() != 0 || maxAge.getSeconds() < 1 || maxAge.getSeconds() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"maxAge: " + maxAge + " (expected: whole seconds, at least 1s, as 600 or 10m)");
		}
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	/** A policy allowing {@code origins}, with Gateway API's defaults for the rest. */
	public static CorsPolicy allowing(String... origins) {
		return new CorsPolicy(List.of(origins), null, null, null, null, null);
	}

	private static List<String> list(String field, List<String> values, int max) {
		List<String> list = values == null ? List.of() : new ArrayList<>(values);
		if (list.size() > max) {
			throw new IllegalArgumentException(field + ": " + list.size() + " entries (expected: at most " + max + ")");
		}
		for (int i = 0; i < list.size(); i++) {
			if (list.get(i) == null || list.get(i).isBlank()) {
				throw new IllegalArgumentException(field + "[" + i + "]: " + list.get(i) + " (expected: a value)");
			}
			list.set(i, list.get(i).strip());
		}
		return List.copyOf(list);
	}

	/** Names as HTTP tokens, each once ({@code caseInsensitive}: once whatever its case); {@code *} only alone. */
	private static void tokens(String field, List<String> values, boolean caseInsensitive) {
		Set<String> seen = new TreeSet<>();
		for (int i = 0; i < values.size(); i++) {
			String value = values.get(i);
			if (!HttpTokens.isToken(value, 0, value.length())) {
				throw new IllegalArgumentException(field + "[" + i + "]: " + value + " (expected: a "
						+ (caseInsensitive ? "header name" : "method") + " or *)");
			}
			if (!seen.add(caseInsensitive ? value.toLowerCase(Locale.ROOT) : value)) {
				throw new IllegalArgumentException(field + "[" + i + "]: " + value + " (expected: each once"
						+ (caseInsensitive ? "; names are case-insensitive)" : ")"));
			}
		}
		onlyAlone(field, values);
	}

	private static void onlyAlone(String field, List<String> values) {
		if (values.size() > 1 && values.contains(ANY)) {
			throw new IllegalArgumentException(field + ": " + values + " (expected: * alone, or no *)");
		}
	}

}
