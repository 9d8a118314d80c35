package io.meshgate.admin.traffic;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traffic between two {@link MeterReading}s: requests, errors and latency by route, by route
 * and backend ({@code none} for a route answered without one), and by upstream; and each
 * endpoint's calls. Routes and backends are in name order.
 */
final class TrafficWindow {

	private final MeterReading base;

	private final MeterReading current;

	private final Map<String, TrafficStats> routes = new TreeMap<>();

	private final Map<String, Map<String, TrafficStats>> backends = new HashMap<>();

	private final Map<String, TrafficStats> upstreams = new HashMap<>();

	TrafficWindow(MeterReading base, MeterReading current) {
		this.base = base;
		this.current = current;
	}

	void add(String route, String backend, String upstream, long requests, long errors, double[] bounds,
			double[] counts) {
		if (!route.isEmpty()) {
			routes.computeIfAbsent(route, r -> new TrafficStats()).add(requests, errors, bounds, counts);
			backends.computeIfAbsent(route, r -> new TreeMap<>())
				.computeIfAbsent(backend.isEmpty() ? "none" : backend, b -> new TrafficStats())
				.add(requests, errors, bounds, counts);
		}
		if (!upstream.isEmpty()) {
			upstreams.computeIfAbsent(upstream, u -> new TrafficStats()).add(requests, errors, bounds, counts);
		}
	}

	/** Routes that had requests, in id order. */
	Map<String, TrafficStats> routes() {
		return routes;
	}

	/** A route's requests by backend, in name order; empty when it had none. */
	Map<String, TrafficStats> backends(String route) {
		return backends.getOrDefault(route, Map.of());
	}

	/** An upstream's answers (empty stats when it had none). */
	TrafficStats upstream(String name) {
		return upstreams.getOrDefault(name, new TrafficStats());
	}

	/** An endpoint's {calls, failed calls} in the window. */
	long[] endpointCalls(String upstream, String address) {
		return current.endpointCalls(base, upstream, address);
	}

}
