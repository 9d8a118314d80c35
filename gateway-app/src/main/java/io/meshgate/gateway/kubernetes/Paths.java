package io.meshgate.gateway.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kubernetes path matches as route match fields. An exact path is the path itself, a prefix
 * {@code /orders} is the pattern {@code /orders/**}, which matches {@code /orders} and
 * {@code /orders/...} but not {@code /orders-old}: path elements, as both Gateway API and Ingress
 * define prefixes.
 */
public final class Paths {

	private Paths() {
	}

	/** The {@code match} fields for a path; throws for what Meshgate cannot serve. */
	public static Map<String, Object> match(Precedence.PathType type, String value) {
		if (value == null || !value.startsWith("/")) {
			throw new IllegalArgumentException("path.value: " + value + " (expected: a path starting with /)");
		}
		if (type == Precedence.PathType.REGEX) {
			throw new IllegalArgumentException("path.type: RegularExpression (expected: Exact or PathPrefix)");
		}
		if (value.matches(".*[{}*?].*")) {
			throw new IllegalArgumentException("path.value: " + value + " (expected: no '{', '}', '*' or '?')");
		}
		Map<String, Object> match = new LinkedHashMap<>();
		if (type == Precedence.PathType.EXACT) {
			match.put("path", value);
		}
		else {
			String base = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
			match.put("path", base + "/**");
		}
		return match;
	}

	/** A Kubernetes host name as a host pattern: {@code *.example.com} matches one or more labels. */
	public static String host(String hostname) {
		if (hostname == null || hostname.isBlank()) {
			return null;
		}
		return hostname.startsWith("*.") ? "*" + hostname : hostname;
	}

}
