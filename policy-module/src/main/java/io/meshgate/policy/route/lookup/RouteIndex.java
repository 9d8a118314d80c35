package io.meshgate.policy.route.lookup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.server.PathContainer;

/**
 * The route table, indexed by the first path segment a route can match. Spring Cloud Gateway
 * tests every route's predicates one after another, so a request for the last of 10,000 routes
 * evaluates 10,000 path patterns; with the index it evaluates the routes whose first segment is
 * the request's, plus the routes that could match any first segment, in their original order.
 * <p>
 * A route takes part only when its metadata {@link #FIRST_SEGMENT} names its literal first
 * segment (Meshgate's compiler sets it where the path makes it certain); every other route, such as
 * a route written in plain gateway YAML, is a candidate for every request. The index
 * only narrows the candidates; the routes' own predicates still decide.
 */
public final class RouteIndex {

	/** Route metadata: the literal first path segment every request the route matches starts with. */
	public static final String FIRST_SEGMENT = "meshgate.first-segment";

	/** A segment that compares equal before and after percent-decoding, with no pattern syntax. */
	private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");

	/**
	 * Up to this many routes that match any first segment are merged into every segment's list
	 * ahead of time; beyond it they are merged per request, which costs about what testing them
	 * costs anyway, instead of memory for segments × routes.
	 */
	private static final int PREMERGED_ANY_SEGMENT = 64;

	private final List<Route> all;

	private final Map<String, List<Route>> bySegment;

	private final List<Route> anySegment;

	/** Route positions, when segment lists still need the any-segment routes merged in. */
	private final Map<Route, Integer> positions;

	private RouteIndex(List<Route> all, Map<String, List<Route>> bySegment, List<Route> anySegment,
			Map<Route, Integer> positions) {
		this.all = all;
		this.bySegment = bySegment;
		this.anySegment = anySegment;
		this.positions = positions;
	}

	/** Indexes {@code routes}, which are in the order the gateway tests them. */
	public static RouteIndex of(List<Route> routes) {
		Map<String, List<Integer>> positions = new HashMap<>();
		List<Integer> any = new ArrayList<>();
		for (int i = 0; i < routes.size(); i++) {
			Object segment = routes.get(i).getMetadata().get(FIRST_SEGMENT);
			if (segment instanceof String literal && isLiteral(literal)) {
				positions.computeIfAbsent(literal, s -> new ArrayList<>()).add(i);
			}
			else {
				any.add(i);
			}
		}
		boolean premerge = any.size() <= PREMERGED_ANY_SEGMENT;
		Map<String, List<Route>> bySegment = new HashMap<>();
		positions.forEach((segment, indexes) -> bySegment.put(segment,
				premerge ? merge(routes, indexes, any) : merge(routes, indexes, List.of())));
		Map<Route, Integer> routePositions = null;
		if (!premerge) {
			routePositions = new IdentityHashMap<>();
			for (int i = 0; i < routes.size(); i++) {
				routePositions.put(routes.get(i), i);
			}
		}
		return new RouteIndex(List.copyOf(routes), bySegment, any.stream().map(routes::get).toList(),
				routePositions);
	}

	/**
	 * The literal first segment of a Spring path pattern ({@code /orders/**} → {@code orders}), or
	 * {@code null} when the first segment holds a variable, a wildcard or characters that decoding
	 * could change.
	 */
	public static String firstLiteralSegment(String path) {
		if (path == null || !path.startsWith("/")) {
			return null;
		}
		int end = path.indexOf('/', 1);
		String segment = end < 0 ? path.substring(1) : path.substring(1, end);
		return isLiteral(segment) ? segment : null;
	}

	/** The routes that may match a request for {@code path}, in the gateway's order. */
	public List<Route> candidates(PathContainer path) {
		List<PathContainer.Element> elements = path.elements();
		if (elements.size() >= 2 && elements.get(1) instanceof PathContainer.PathSegment segment) {
			List<Route> routes = bySegment.get(segment.valueToMatch());
			if (routes != null) {
				return positions == null ? routes : mergeByPosition(routes, anySegment);
			}
		}
		return anySegment;
	}

	public int size() {
		return all.size();
	}

	/** Whether this index was built from exactly these route objects, in this order. */
	boolean isOf(List<Route> routes) {
		if (routes.size() != all.size()) {
			return false;
		}
		for (int i = 0; i < routes.size(); i++) {
			if (routes.get(i) != all.get(i)) {
				return false;
			}
		}
		return true;
	}

	private List<Route> mergeByPosition(List<Route> a, List<Route> b) {
		List<Route> merged = new ArrayList<>(a.size() + b.size());
		int i = 0;
		int j = 0;
		while (i < a.size() || j < b.size()) {
			if (j == b.size() || (i < a.size() && positions.get(a.get(i)) < positions.get(b.get(j)))) {
				merged.add(a.get(i++));
			}
			else {
				merged.add(b.get(j++));
			}
		}
		return merged;
	}

	private static boolean isLiteral(String segment) {
		return LITERAL.matcher(segment).matches();
	}

	/** The routes at {@code a} and at {@code b} (both ascending), in ascending order. */
	private static List<Route> merge(List<Route> routes, List<Integer> a, List<Integer> b) {
		List<Route> merged = new ArrayList<>(a.size() + b.size());
		int i = 0;
		int j = 0;
		while (i < a.size() || j < b.size()) {
			if (j == b.size() || (i < a.size() && a.get(i) < b.get(j))) {
				merged.add(routes.get(a.get(i++)));
			}
			else {
				merged.add(routes.get(b.get(j++)));
			}
		}
		return List.copyOf(merged);
	}

}
