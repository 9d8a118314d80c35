package io.meshgate.policy.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteLocator;

/**
 * Serves the routes compiled from the current {@link MeshConfig}, turning only new or changed
 * route definitions into gateway routes. Spring Cloud Gateway rebuilds every route on each
 * refresh (binding each predicate's and filter's arguments again); with 10,000 routes that took
 * seconds per edit, and reset the state of filters on routes nobody touched (rate-limit buckets,
 * retry budgets). Here an unchanged definition keeps its route object.
 */
public final class MeshRouteLocator implements RouteLocator {

	private final Function<List<RouteDefinition>, Flux<Route>> converter;

	private volatile List<RouteDefinition> definitions = List.of();

	/** Routes built for the current definitions; replaced, never mutated, on each conversion. */
	private Map<RouteDefinition, Route> built = Map.of();

	/**
	 * @param converter turns route definitions into gateway routes (the gateway's own
	 * {@code RouteDefinitionRouteLocator}, which skips a definition it cannot convert)
	 */
	public MeshRouteLocator(Function<List<RouteDefinition>, Flux<Route>> converter) {
		this.converter = converter;
	}

	/** The definitions in force, as compiled by {@link RouteCompiler}. */
	public List<RouteDefinition> definitions() {
		return definitions;
	}

	void set(List<RouteDefinition> definitions) {
		this.definitions = List.copyOf(definitions);
	}

	@Override
	public Flux<Route> getRoutes() {
		return Flux.defer(() -> Flux.fromIterable(routes()));
	}

	private synchronized List<Route> routes() {
		List<RouteDefinition> wanted = definitions;
		List<RouteDefinition> missing = wanted.stream().filter(d -> !built.containsKey(d)).toList();
		Map<String, Route> converted = new HashMap<>();
		if (!missing.isEmpty()) {
			converter.apply(missing).doOnNext(route -> converted.put(route.getId(), route)).blockLast();
		}
		Map<RouteDefinition, Route> next = new HashMap<>();
		List<Route> routes = new ArrayList<>(wanted.size());
		for (RouteDefinition definition : wanted) {
			Route route = built.containsKey(definition) ? built.get(definition) : converted.get(definition.getId());
			if (route != null) {
				next.put(definition, route);
				routes.add(route);
			}
		}
		built = next;
		return routes;
	}

}
