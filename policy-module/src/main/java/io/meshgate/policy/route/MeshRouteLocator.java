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
	private volatile Map<RouteDefinition, Route> built = Map.of();

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

	/**
	 * Never blocks: the gateway may ask for routes on an event loop (a request that arrives
	 * before its first route refresh), and a blocking call there fails the request.
	 */
	@Override
	public Flux<Route> getRoutes() {
		return Flux.defer(() -> {
			List<RouteDefinition> wanted = definitions;
			Map<RouteDefinition, Route> known = built;
			List<RouteDefinition> missing = wanted.stream().filter(d -> !known.containsKey(d)).toList();
			if (missing.isEmpty()) {
				return Flux.fromIterable(keep(wanted, Map.of()));
			}
			return converter.apply(missing)
				.collectMap(Route::getId)
				.flatMapIterable(converted -> keep(wanted, converted));
		});
	}

	/**
	 * The routes of {@code wanted}: those already built are kept (with their filters' state),
	 * the others come from {@code converted}; a definition the gateway could not convert is left out.
	 */
	private synchronized List<Route> keep(List<RouteDefinition> wanted, Map<String, Route> converted) {
		Map<RouteDefinition, Route> next = new HashMap<>();
		List<Route> routes = new ArrayList<>(wanted.size());
		for (RouteDefinition definition : wanted) {
			Route route = built.containsKey(definition) ? built.get(definition) : converted.get(definition.getId());
			if (route != null) {
				next.put(definition, route);
				routes.add(route);
			}
		}
		if (wanted == definitions) {
			// a conversion that started before the last change must not drop the newer routes
			built = next;
		}
		return routes;
	}

}
