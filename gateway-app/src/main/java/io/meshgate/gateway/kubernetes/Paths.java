package io.meshgate.gateway.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kubernetes path and host matches as route match fields: {@code Exact}, {@code PathPrefix} /
 * {@code Prefix} and {@code RegularExpression} become the route's {@code pathType} EXACT, PREFIX
 * (by path element, as both Gateway API and Ingress define it) and REGEX.
 */
public final class Paths {

	private Paths() {
	}

	/** The {@code match} fields for a path. */
	public static Map<String, Object> match(Precedence.PathType type, String value) {
		Map<String, Object> match = new LinkedHashMap<>();
		match.put("path", value);
		match.put("pathType", type.name());
		return match;
	}

	/**
	 * A Kubernetes host name as a route's host pattern, which reads it as Gateway API does
	 * ({@code io.meshgate.policy.route.HostPattern}): {@code *.example.com} takes one or more labels
	 * below example.com, never example.com itself; null for none.
	 */
	public static String host(String hostname) {
		return hostname == null || hostname.isBlank() ? null : hostname;
	}

}
