package io.meshgate.admin.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

/**
 * The traffic map: routes, the upstreams they send to (backends by weight, mirrors by percentage)
 * and those upstreams' endpoints, as a graph of nodes and edges, each with the rate, error share
 * and health of the {@link LiveTraffic} window that ends now. Nodes come in the configuration's
 * order (routes, then upstreams, then each upstream's endpoints), so a page lays them out the
 * same way every time.
 * <p>
 * Health words are those of {@link UpstreamVerdict}: {@code ok}, {@code degraded}, {@code failing},
 * {@code down}; and {@code idle} for a route or edge without requests in the window. A route or
 * edge is failing from {@link UpstreamVerdict#FAILING_SHARE} of errors over at least
 * {@link UpstreamVerdict#MIN_ANSWERS} answers, degraded from {@link UpstreamVerdict#DEGRADED_SHARE};
 * an endpoint that is down by its check or ejected is {@code down}.
 */
public final class TrafficMap {

	static final String IDLE = "idle";

	private final LiveTraffic traffic;

	private final Supplier<MeshConfig> running;

	public TrafficMap(LiveTraffic traffic, Supplier<MeshConfig> running) {
		this.traffic = Objects.requireNonNull(traffic, "traffic");
		this.running = Objects.requireNonNull(running, "running");
	}

	/** The graph now, as JSON-ready maps: {@code nodes} and {@code edges} (by node id), and the window. */
	public Map<String, Object> view() {
		Map<String, Object> live = traffic.view();
		MeshConfig config = running.get();
		Map<String, Object> routeTraffic = map(live.get("routes"));
		Map<String, Object> upstreamTraffic = map(live.get("upstreams"));
		List<Map<String, Object>> nodes = new ArrayList<>();
		List<Map<String, Object>> edges = new ArrayList<>();
		List<String> statuses = new ArrayList<>();
		for (Route route : config.routes()) {
			Map<String, Object> t = map(routeTraffic.get(route.id()));
			Map<String, Object> node = node("route:" + route.id(), "route", route.id(), t);
			node.put("health", health(t));
			nodes.add(node);
			Map<String, Object> backends = map(t.get("backends"));
			for (Backend backend : route.backends()) {
				String to = backend.upstream() != null ? "upstream:" + backend.upstream() : "status:" + backend.status();
				if (backend.upstream() == null && !statuses.contains(to)) {
					statuses.add(to);
				}
				Map<String, Object> edge = edge("route:" + route.id(), to, "backend", map(backends.get(backend.target())));
				edge.put("weight", backend.weight());
				edges.add(edge);
			}
			for (MirrorPolicy mirror : route.mirrors()) {
				// copies are not in the route's timers: the edge says how much is copied, not how it fares
				Map<String, Object> edge = edge("route:" + route.id(), "upstream:" + mirror.upstream(), "mirror", Map.of());
				edge.put("percentage", mirror.percentage());
				edges.add(edge);
			}
		}
		for (Upstream upstream : config.upstreams()) {
			addUpstream(upstream.name(), map(upstreamTraffic.get(upstream.name())), nodes, edges);
		}
		for (String status : statuses) {
			Map<String, Object> node = node(status, "status", status.substring("status:".length()), Map.of());
			node.put("health", IDLE);
			nodes.add(node);
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("seconds", live.get("seconds"));
		view.put("window", live.get("window"));
		view.put("nodes", nodes);
		view.put("edges", edges);
		return view;
	}

	private static void addUpstream(String name, Map<String, Object> t, List<Map<String, Object>> nodes,
			List<Map<String, Object>> edges) {
		String id = "upstream:" + name;
		Map<String, Object> node = node(id, "upstream", name, t);
		Map<String, Object> verdict = map(t.get("health"));
		// an upstream of the configuration that does not run (no endpoints discovered yet) has no traffic view
		node.put("health", verdict.isEmpty() ? "down" : verdict.get("verdict"));
		node.put("reasons", verdict.isEmpty() ? List.of("not running") : verdict.get("reasons"));
		node.put("breaker", t.getOrDefault("breaker", "none"));
		nodes.add(node);
		Object endpoints = t.get("endpoints");
		if (endpoints instanceof List<?> list) {
			for (Object item : list) {
				Map<String, Object> e = map(item);
				String endpointId = "endpoint:" + name + "/" + e.get("address");
				Map<String, Object> endpoint = new LinkedHashMap<>();
				endpoint.put("id", endpointId);
				endpoint.put("kind", "endpoint");
				endpoint.put("name", e.get("address"));
				endpoint.put("upstream", name);
				endpoint.put("state", e.get("state"));
				endpoint.put("rate", e.get("rate"));
				endpoint.put("errorShare", e.get("errorShare"));
				endpoint.put("inFlight", e.get("inFlight"));
				endpoint.put("health", UpstreamStates.SERVING.equals(e.get("state"))
						? health(number(e.get("calls")), number(e.get("errorShare"))) : "down");
				nodes.add(endpoint);
				Map<String, Object> edge = edge(id, endpointId, "endpoint", Map.of("requests", number(e.get("calls")),
						"rate", e.get("rate"), "errorShare", e.get("errorShare")));
				edges.add(edge);
			}
		}
	}

	private static Map<String, Object> node(String id, String kind, String name, Map<String, Object> t) {
		Map<String, Object> node = new LinkedHashMap<>();
		node.put("id", id);
		node.put("kind", kind);
		node.put("name", name);
		node.put("rate", t.getOrDefault("rate", 0.0));
		node.put("errorShare", t.getOrDefault("errorShare", 0.0));
		node.put("p99Ms", t.get("p99Ms"));
		return node;
	}

	private static Map<String, Object> edge(String from, String to, String kind, Map<String, Object> t) {
		Map<String, Object> edge = new LinkedHashMap<>();
		edge.put("from", from);
		edge.put("to", to);
		edge.put("kind", kind);
		edge.put("rate", t.getOrDefault("rate", 0.0));
		edge.put("errorShare", t.getOrDefault("errorShare", 0.0));
		edge.put("health", "mirror".equals(kind) ? IDLE : health(t));
		return edge;
	}

	private static String health(Map<String, Object> t) {
		return health(number(t.get("requests")), number(t.get("errorShare")));
	}

	/** {@code idle} without requests; else by the error share, as {@link UpstreamVerdict} judges an upstream's. */
	static String health(double requests, double errorShare) {
		if (requests <= 0) {
			return IDLE;
		}
		if (requests >= UpstreamVerdict.MIN_ANSWERS && errorShare >= UpstreamVerdict.FAILING_SHARE) {
			return "failing";
		}
		return errorShare >= UpstreamVerdict.DEGRADED_SHARE ? "degraded" : "ok";
	}

	private static double number(Object value) {
		return value instanceof Number n ? n.doubleValue() : 0;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
	}

}
