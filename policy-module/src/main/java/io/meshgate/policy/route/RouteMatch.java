package io.meshgate.policy.route;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which requests a route takes: {@code {path: /orders/**, methods: [GET, POST], headers:
 * {x-env: "canary|beta"}, host: "**.example.com"}}. All given conditions must hold.
 *
 * @param path a Spring path pattern ({@code /orders/**}, {@code /users/{id}}); required
 * @param methods HTTP methods; default: any
 * @param headers header name to a regular expression its value must match; default: none
 * @param host a host pattern ({@code **.example.com}); default: any host
 */
public record RouteMatch(String path, List<String> methods, Map<String, String> headers, String host) {

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	public RouteMatch {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("path: " + path + " (expected: a path pattern starting with /)");
		}
		methods = methods == null ? List.of()
				: methods.stream().map(m -> m == null ? "" : m.trim().toUpperCase(Locale.ROOT)).toList();
		for (String method : methods) {
			if (!METHODS.contains(method)) {
				throw new IllegalArgumentException("methods: " + method + " (expected: one of " + METHODS + ")");
			}
		}
		headers = headers == null ? Map.of() : Map.copyOf(headers);
		headers.forEach((name, regex) -> {
			try {
				Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						"headers." + name + ": " + regex + " (expected: a regular expression; " + ex.getDescription()
								+ ")");
			}
		});
		if (host != null && host.isBlank()) {
			host = null;
		}
	}

	public static RouteMatch path(String path) {
		return new RouteMatch(path, null, null, null);
	}

}
