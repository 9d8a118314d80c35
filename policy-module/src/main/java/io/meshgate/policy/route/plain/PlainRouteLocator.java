package io.meshgate.policy.route.plain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;

/**
 * The routes written for Spring Cloud Gateway itself (its YAML, a {@code RouteDefinitionRepository},
 * the actuator), built one definition at a time, in place of the gateway's
 * {@code RouteDefinitionRouteLocator}, which fails the whole table for one definition it cannot
 * build: with nothing cached yet, every request then answers 500.
 * <p>
 * Here a definition that cannot be built (an unknown predicate or filter name, bad arguments) is
 * logged once and left out, or, when it replaced one that was built, that last good route keeps
 * serving under its id; every other route is served as defined. An unchanged definition keeps its
 * route object across refreshes (Meshgate refreshes on every edit of its own routes): it is not
 * rebuilt and its filters keep their state. When the definitions cannot be read at all, the last
 * routes served keep serving.
 */
public final class PlainRouteLocator implements RouteLocator {

	private static final Log log = LogFactory.getLog(PlainRouteLocator.class);

	private static final int MAX_CAUSES = 4;

	private final RouteDefinitionLocator definitions;

	private final Function<RouteDefinition, Mono<Route>> builder;

	/** What the last build produced; replaced, never mutated. */
	private volatile Table table = Table.EMPTY;

	/**
	 * @param definitions the gateway's own route definitions (all its sources combined)
	 * @param builder builds one definition: its route, an error, or nothing when it could not
	 */
	public PlainRouteLocator(RouteDefinitionLocator definitions, Function<RouteDefinition, Mono<Route>> builder) {
		this.definitions = definitions;
		this.builder = builder;
	}

	@Override
	public Flux<Route> getRoutes() {
		return definitions.getRouteDefinitions()
			.collectList()
			.flatMap(this::build)
			.onErrorResume(error -> {
				log.warn("Route definitions not read, the last routes built keep serving: " + error);
				return Mono.just(table.served());
			})
			.flatMapIterable(routes -> routes);
	}

	/**
	 * Why each of {@code wanted} cannot be built, by route id; empty when all can. Builds those
	 * not built yet, so a check at start-up leaves the routes ready to serve.
	 */
	public Mono<Map<String, String>> failures(List<RouteDefinition> wanted) {
		return build(wanted).map(served -> {
			Table current = table;
			Map<String, String> failures = new LinkedHashMap<>();
			for (RouteDefinition definition : wanted) {
				String error = current.failed().get(definition);
				if (error != null) {
					failures.put(definition.getId(), error);
				}
			}
			return failures;
		});
	}

	private Mono<List<Route>> build(List<RouteDefinition> wanted) {
		Table known = table;
		return Flux.fromIterable(wanted)
			.filter(definition -> !known.built().containsKey(definition) && !known.failed().containsKey(definition))
			.distinct()
			.concatMap(this::outcome)
			.collectMap(Outcome::definition)
			.map(outcomes -> update(wanted, outcomes));
	}

	private Mono<Outcome> outcome(RouteDefinition definition) {
		return builder.apply(definition)
			.map(route -> new Outcome(definition, route, null))
			.onErrorResume(error -> Mono.just(new Outcome(definition, null, messageOf(error))))
			.defaultIfEmpty(new Outcome(definition, null, "not built (see the gateway's warning above)"));
	}

	/**
	 * The routes for {@code wanted}, from the routes built before and the new {@code outcomes};
	 * records the new table. A failure is logged when first seen, not on every refresh.
	 */
	private synchronized List<Route> update(List<RouteDefinition> wanted, Map<RouteDefinition, Outcome> outcomes) {
		Table current = table;
		Map<RouteDefinition, Route> built = new HashMap<>();
		Map<RouteDefinition, String> failed = new HashMap<>();
		Map<String, Route> servedById = new HashMap<>();
		List<Route> routes = new ArrayList<>(wanted.size());
		for (RouteDefinition definition : wanted) {
			Outcome outcome = outcomes.get(definition);
			Route route = current.built().get(definition);
			if (route == null && outcome != null) {
				route = outcome.route();
			}
			if (route != null) {
				built.put(definition, route);
				servedById.put(definition.getId(), route);
				routes.add(route);
				continue;
			}
			String error = current.failed().get(definition);
			if (error == null && outcome != null) {
				error = outcome.error();
			}
			if (error == null) {
				// built or failed by a refresh that ran at the same time and dropped it: the next one builds it
				continue;
			}
			failed.put(definition, error);
			Route lastGood = current.servedById().get(definition.getId());
			if (!current.failed().containsKey(definition)) {
				log.error("Route " + definition.getId() + " cannot be built: " + error
						+ (lastGood == null ? "; it is not served" : "; its last good version keeps serving"));
			}
			if (lastGood != null) {
				servedById.put(definition.getId(), lastGood);
				routes.add(lastGood);
			}
		}
		table = new Table(Map.copyOf(built), Map.copyOf(failed), Map.copyOf(servedById), List.copyOf(routes));
		return routes;
	}

	/**
	 * The exception's message and those of a few of its causes (a binding error's cause names the
	 * argument and the value it could not take).
	 */
	private static String messageOf(Throwable error) {
		StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
		Throwable cause = error.getCause();
		for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
			if (cause.getMessage() != null && message.indexOf(cause.getMessage()) < 0) {
				message.append(": ").append(cause.getMessage());
			}
		}
		return message.toString();
	}

	private record Outcome(RouteDefinition definition, Route route, String error) {
	}

	/**
	 * @param built the route of each definition that was built
	 * @param failed why each definition that could not be built failed
	 * @param servedById the route served under each id (a failed definition's last good route)
	 * @param served the routes served, in the definitions' order
	 */
	private record Table(Map<RouteDefinition, Route> built, Map<RouteDefinition, String> failed,
			Map<String, Route> servedById, List<Route> served) {

		static final Table EMPTY = new Table(Map.of(), Map.of(), Map.of(), List.of());

	}

}
