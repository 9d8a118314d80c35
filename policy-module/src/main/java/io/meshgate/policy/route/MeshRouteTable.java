package io.meshgate.policy.route;

import java.util.List;
import java.util.Map;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * The gateway routes of one configuration's route definitions, every definition converted, in
 * the definitions' order: what {@link MeshRouteLocator} serves once installed, or a dry run's
 * table. Immutable.
 *
 * @param definitions the definitions, as {@link RouteCompiler} compiled them
 * @param routes the route of each definition, in the same order
 * @param byDefinition the route of each definition, for reuse by the next conversion
 */
public record MeshRouteTable(List<RouteDefinition> definitions, List<Route> routes,
		Map<RouteDefinition, Route> byDefinition) {

	public static final MeshRouteTable EMPTY = new MeshRouteTable(List.of(), List.of(), Map.of());

	public MeshRouteTable {
		definitions = List.copyOf(definitions);
		routes = List.copyOf(routes);
		byDefinition = Map.copyOf(byDefinition);
		if (definitions.size() != routes.size() || byDefinition.size() != routes.size()) {
			throw new IllegalArgumentException("routes: " + routes.size() + " (expected: one per definition, "
					+ definitions.size() + ")");
		}
	}

}
