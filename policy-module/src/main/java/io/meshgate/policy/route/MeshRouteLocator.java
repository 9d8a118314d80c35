package io.meshgate.policy.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;

/**
 * Serves the routes compiled from the current {@link MeshConfig}. Definitions are converted into
 * gateway routes when a configuration is applied ({@link #convert}), not when the gateway asks
 * for routes: a definition that does not convert fails the change, with its route named, and the
 * running table stays. Only new or changed definitions are converted; an unchanged definition
 * keeps its route object, and with it the state of its filters (rate-limit buckets, retry
 * budgets), and an edit costs what it changes: Spring Cloud Gateway itself rebuilds every route
 * on each refresh, seconds per edit at 10,000 routes (docs/design/route-table-scale.md).
 */
public final class MeshRouteLocator implements RouteLocator {

	private static final Log log = LogFactory.getLog(MeshRouteLocator.class);

	private final Function<RouteDefinitionLocator, RouteLocator> gateway;

	private volatile MeshRouteTable table = MeshRouteTable.EMPTY;

	/** The definitions being converted, and how many of them have been handed to the gateway. */
	private List<RouteDefinition> pending = List.of();

	private int handedOver;

	/** The gateway's locator over {@link #pending}, made on first use. */
	private RouteLocator converter;

	/**
	 * @param gateway the gateway's {@code RouteDefinitionRouteLocator} over a source of
	 * definitions, with its factories, argument binding and default filters, failing on the first
	 * definition it cannot convert (whatever {@code fail-on-route-definition-error} says: here a
	 * definition is converted or reported, never left out)
	 */
	public MeshRouteLocator(Function<RouteDefinitionLocator, RouteLocator> gateway) {
		this.gateway = gateway;
	}

	/** The definitions in force, as compiled by {@link RouteCompiler}. */
	public List<RouteDefinition> definitions() {
		return table.definitions();
	}

	/**
	 * The table of {@code definitions}, converted now, without installing it: definitions equal
	 * to one in force keep its route, the others are converted by the gateway. Throws
	 * {@link RouteConversionException} naming every route that does not convert.
	 */
	public MeshRouteTable convert(List<RouteDefinition> definitions) {
		MeshRouteTable current = table;
		List<RouteDefinition> missing = new ArrayList<>();
		for (RouteDefinition definition : definitions) {
			if (!current.byDefinition().containsKey(definition)) {
				missing.add(definition);
			}
		}
		Map<RouteDefinition, Object> converted = convertEach(missing);
		List<String> errors = new ArrayList<>();
		List<Route> routes = new ArrayList<>(definitions.size());
		Map<RouteDefinition, Route> byDefinition = new HashMap<>();
		for (RouteDefinition definition : definitions) {
			Object outcome = current.byDefinition().containsKey(definition) ? current.byDefinition().get(definition)
					: converted.get(definition);
			if (outcome instanceof Route route) {
				routes.add(route);
				byDefinition.put(definition, route);
			}
			else {
				errors.add(error(definition, outcome instanceof Throwable cause ? cause
						: new IllegalStateException("the gateway's locator returned no route for it")));
			}
		}
		if (!errors.isEmpty()) {
			throw new RouteConversionException(errors);
		}
		return new MeshRouteTable(definitions, routes, byDefinition);
	}

	/** Makes {@code table} (from {@link #convert}) the one served. */
	void install(MeshRouteTable table) {
		this.table = table;
	}

	/** Never blocks and converts nothing: the table was converted when it was applied. */
	@Override
	public Flux<Route> getRoutes() {
		return Flux.defer(() -> Flux.fromIterable(table.routes()));
	}

	/**
	 * Each definition's route, or the error the gateway raised converting it. The gateway's
	 * locator stops at its first failure, so conversion resumes after the definition that failed:
	 * every one is tried.
	 */
	private synchronized Map<RouteDefinition, Object> convertEach(List<RouteDefinition> definitions) {
		Map<RouteDefinition, Object> outcomes = new LinkedHashMap<>();
		if (definitions.isEmpty()) {
			return outcomes;
		}
		pending = definitions;
		handedOver = 0;
		if (converter == null) {
			converter = gateway.apply(() -> Flux.fromIterable(pending.subList(handedOver, pending.size()))
				.doOnNext(definition -> handedOver++));
		}
		try {
			while (handedOver < pending.size()) {
				int before = handedOver;
				// the gateway converts as the definitions are handed over, on this thread
				converter.getRoutes()
					.subscribe(route -> outcomes.put(pending.get(handedOver - 1), route),
							error -> outcomes.put(pending.get(Math.max(handedOver, before + 1) - 1), error));
				if (handedOver == before) {
					// failed before taking a definition: nothing would ever convert
					handedOver = before + 1;
				}
			}
		}
		finally {
			pending = List.of();
		}
		return outcomes;
	}

	/**
	 * {@code routes[id]: …} with the part of the definition the gateway refused, found by
	 * converting each predicate and each filter on its own (only when a definition failed).
	 */
	private String error(RouteDefinition definition, Throwable cause) {
		log.warn("Route " + definition.getId() + " cannot be built by Spring Cloud Gateway: " + cause);
		List<RouteDefinition> parts = new ArrayList<>();
		List<String> names = new ArrayList<>();
		// the default filters come with every part: alone first, so that they are named when they fail
		parts.add(part(definition, List.of(), List.of()));
		names.add(null);
		for (PredicateDefinition predicate : definition.getPredicates()) {
			parts.add(part(definition, List.of(predicate), List.of()));
			names.add("predicate " + predicate.getName());
		}
		for (FilterDefinition filter : definition.getFilters()) {
			parts.add(part(definition, List.of(), List.of(filter)));
			names.add("filter " + filter.getName());
		}
		Map<RouteDefinition, Object> outcomes = convertEach(parts);
		String route = "routes[" + definition.getId() + "]: ";
		for (int i = 0; i < parts.size(); i++) {
			if (outcomes.get(parts.get(i)) instanceof Throwable) {
				String name = names.get(i);
				return name == null
						? route + "default filters (expected: spring.cloud.gateway default filters Spring Cloud "
								+ "Gateway can build; its answer is in the gateway's log)"
						: route + name + " (expected: arguments Spring Cloud Gateway's "
								+ name.substring(name.indexOf(' ') + 1)
								+ " factory accepts; its answer is in the gateway's log)";
			}
		}
		return route + "predicates and filters (expected: ones Spring Cloud Gateway can build together; its "
				+ "answer is in the gateway's log)";
	}

	private static RouteDefinition part(RouteDefinition whole, List<PredicateDefinition> predicates,
			List<FilterDefinition> filters) {
		RouteDefinition part = new RouteDefinition();
		part.setId(whole.getId());
		part.setUri(whole.getUri());
		part.setOrder(whole.getOrder());
		part.setMetadata(whole.getMetadata());
		part.setPredicates(new ArrayList<>(predicates));
		part.setFilters(new ArrayList<>(filters));
		return part;
	}

}
