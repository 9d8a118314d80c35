package io.meshgate.policy.route;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Compiles Meshgate routes into ordinary Spring Cloud Gateway route definitions, built from the
 * same predicate and filter names a user would write in plain gateway YAML. That is why
 * {@code /actuator/gateway/routes} shows exactly what runs.
 */
public final class RouteCompiler {

	/** Metadata key marking definitions that Meshgate owns. */
	public static final String OWNER_METADATA = "meshgate.owner";

	private RouteCompiler() {
	}

	public static List<RouteDefinition> compile(MeshConfig config) {
		List<RouteDefinition> definitions = new ArrayList<>();
		for (int i = 0; i < config.routes().size(); i++) {
			definitions.add(compile(config.routes().get(i), i));
		}
		return definitions;
	}

	static RouteDefinition compile(Route route, int order) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(route.id());
		definition.setOrder(order);
		definition.setMetadata(Map.of(OWNER_METADATA, "meshgate"));

		RouteMatch match = route.match();
		List<PredicateDefinition> predicates = new ArrayList<>();
		predicates.add(predicate("Path", Map.of("patterns", match.path())));
		if (!match.methods().isEmpty()) {
			predicates.add(predicate("Method", Map.of("methods", String.join(",", match.methods()))));
		}
		match.headers().forEach((name, regex) -> predicates.add(predicate("Header", Map.of("header", name, "regexp", regex))));
		if (match.host() != null) {
			predicates.add(predicate("Host", Map.of("patterns", match.host())));
		}
		definition.setPredicates(predicates);

		List<Backend> live = route.backends().stream().filter(b -> b.weight() > 0).toList();
		definition.setUri(URI.create("lb://" + live.get(0).upstream()));
		List<FilterDefinition> filters = new ArrayList<>();
		if (live.size() > 1) {
			filters.add(new FilterDefinition("Canary=" + live.stream()
				.map(b -> b.upstream() + ":" + b.weight())
				.collect(Collectors.joining(","))));
		}
		definition.setFilters(filters);
		return definition;
	}

	private static PredicateDefinition predicate(String name, Map<String, String> args) {
		PredicateDefinition predicate = new PredicateDefinition();
		predicate.setName(name);
		predicate.setArgs(new java.util.LinkedHashMap<>(args));
		return predicate;
	}

}
