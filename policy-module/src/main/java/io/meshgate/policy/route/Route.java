package io.meshgate.policy.route;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where traffic goes (Istio VirtualService http route): the requests a route matches and the
 * weighted upstreams it sends them to.
 *
 * <pre>
 * routes:
 *   - id: orders
 *     match: {path: /orders/**}
 *     backends: [{upstream: orders-v1, weight: 90}, {upstream: orders-v2, weight: 10}]
 * </pre>
 */
public record Route(String id, RouteMatch match, List<Backend> backends) {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,127}");

	public Route {
		if (id == null || !ID.matcher(id).matches()) {
			throw new IllegalArgumentException(
					"id: " + id + " (expected: letters, digits, '-', '_' or '.', at most 128)");
		}
		if (match == null) {
			throw new IllegalArgumentException("match: null (expected: at least {path: /...})");
		}
		if (backends == null || backends.isEmpty()) {
			throw new IllegalArgumentException("backends: [] (expected: at least one {upstream: name})");
		}
		backends = List.copyOf(backends);
		int sum = backends.stream().mapToInt(Backend::weight).sum();
		if (sum <= 0) {
			throw new IllegalArgumentException("backends: weights sum to " + sum + " (expected: > 0)");
		}
	}

	public static Route of(String id, String path, Backend... backends) {
		return new Route(id, RouteMatch.path(path), List.of(backends));
	}

}
