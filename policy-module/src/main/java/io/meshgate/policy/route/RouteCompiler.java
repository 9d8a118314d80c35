package io.meshgate.policy.route;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

import io.meshgate.policy.binding.PolicyBinding;
import io.meshgate.policy.canary.CanaryGatewayFilterFactory;
import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.rewrite.BackendHeaderModifierGatewayFilterFactory.BackendHeaders;
import io.meshgate.policy.rewrite.RequestRedirectGatewayFilterFactory;
import io.meshgate.policy.rewrite.UrlRewriteGatewayFilterFactory;
import io.meshgate.policy.timeout.RouteTimeoutGatewayFilterFactory;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory;
import io.meshgate.policy.route.lookup.RouteIndex;

/**
 * Compiles Meshgate routes into ordinary Spring Cloud Gateway route definitions, built from the
 * same predicate and filter names and arguments a user would write in plain gateway YAML. That is
 * why {@code /actuator/gateway/routes} shows exactly what runs, and why every policy has one
 * code path, whether it comes from Meshgate's model or from gateway YAML. A filter's arguments
 * are written from its record ({@link PolicyBinding#arguments}), the inverse of the binding its
 * factory does: a field added to a policy record needs no edit here.
 */
public final class RouteCompiler {

	/** Metadata key marking definitions that Meshgate owns. */
	public static final String OWNER_METADATA = "meshgate.owner";

	/** The URI of a route that answers itself (a redirect): no routing filter takes it. */
	static final URI NO_UPSTREAM = URI.create("no://op");

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
		definition.setMetadata(metadata(route.match()));
		definition.setPredicates(predicates(route.match(), route.cors() != null));
		// a route whose every share is a status answer calls no upstream: its Canary filter answers
		String upstream = route.backends().stream().filter(b -> b.weight() > 0 && b.upstream() != null).findFirst()
			.map(Backend::upstream).orElse(null);
		definition.setUri(upstream == null ? NO_UPSTREAM : URI.create("lb://" + upstream));

		List<FilterDefinition> filters = new ArrayList<>();
		if (route.cors() != null) {
			filters.add(filter("Cors", route.cors()));
		}
		if (route.authentication() != null) {
			filters.add(filter("Authentication", route.authentication()));
		}
		if (route.extAuthz() != null) {
			filters.add(filter("ExtAuthz", route.extAuthz()));
		}
		if (route.rateLimit() != null) {
			filters.add(filter("LocalRateLimit", route.rateLimit()));
		}
		if (route.fault().active()) {
			filters.add(filter("Fault", route.fault()));
		}
		if (route.timeout() != null) {
			filters.add(filter("RouteTimeout", new RouteTimeoutGatewayFilterFactory.Config(route.timeout())));
		}
		if (route.streamIdleTimeout() != null) {
			filters.add(filter("StreamIdleTimeout",
					new StreamIdleTimeoutGatewayFilterFactory.Config(route.streamIdleTimeout())));
		}
		if (route.responseHeaders() != null && !route.responseHeaders().isEmpty()) {
			filters.add(filter("ResponseHeaderModifier", route.responseHeaders()));
		}
		if (route.redirect() != null) {
			filters.add(filter("RequestRedirect", new RequestRedirectGatewayFilterFactory.Config(route.redirect(),
					prefixFor(route.redirect().replacePrefixMatch(), route.match()))));
		}
		if (route.requestHeaders() != null && !route.requestHeaders().isEmpty()) {
			filters.add(filter("RequestHeaderModifier", route.requestHeaders()));
		}
		if (route.rewrite() != null) {
			filters.add(filter("UrlRewrite", new UrlRewriteGatewayFilterFactory.Config(route.rewrite(),
					prefixFor(route.rewrite().replacePrefixMatch(), route.match()))));
		}
		route.mirrors().forEach(mirror -> filters.add(filter("RequestMirror", mirror)));
		if (route.mirrors().stream().anyMatch(mirror -> mirror.compare() != null)) {
			filters.add(filter("MirrorResponseCapture", Map.of()));
		}
		boolean split = route.backends().size() > 1 || route.backends().stream().anyMatch(b -> b.status() != null);
		if (split) {
			filters.add(filter("Canary", new CanaryGatewayFilterFactory.Config(backends(route.backends()), route.canary())));
		}
		// without a split the one backend takes every request: its filter needs no backend to compare
		route.backends().stream().filter(Backend::changesHeaders).forEach(backend -> filters.add(filter(
				"BackendHeaderModifier", new BackendHeaders(split ? backend.target() : null, backend.requestHeaders(),
						backend.responseHeaders()))));
		if (route.retries() != null) {
			filters.add(filter("BudgetedRetry", route.retries()));
		}
		definition.setFilters(filters);
		return definition;
	}

	/** Ownership, and the first path segment the route index files the route under, when certain. */
	private static Map<String, Object> metadata(RouteMatch match) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put(OWNER_METADATA, "meshgate");
		// every path type but a regular expression starts with its literal first segment
		PathMatch paths = match.pathMatch();
		String firstSegment = paths.type() == PathType.REGEX ? null : RouteIndex.firstLiteralSegment(paths.path());
		if (firstSegment != null) {
			metadata.put(RouteIndex.FIRST_SEGMENT, firstSegment);
		}
		return metadata;
	}

	/** @param preflights whether a CORS preflight for one of the route's methods matches too */
	private static List<PredicateDefinition> predicates(RouteMatch match, boolean preflights) {
		List<PredicateDefinition> predicates = new ArrayList<>();
		PathMatch paths = match.pathMatch();
		if (paths.type() == PathType.PATTERN) {
			predicates.add(predicate("Path", Map.of("patterns", paths.path())));
		}
		else {
			predicates.add(predicate("PathMatch", PolicyBinding.arguments(paths)));
		}
		if (!match.methods().isEmpty()) {
			// indexed: "GET,POST" as one value binds as a single (unknown) method
			Map<String, String> methods = new LinkedHashMap<>();
			for (int i = 0; i < match.methods().size(); i++) {
				methods.put("methods[" + i + "]", match.methods().get(i));
			}
			predicates.add(predicate(preflights ? "CorsMethod" : "Method", methods));
		}
		match.headers()
			.forEach((name, regex) -> predicates
				.add(predicate("HeaderMatch", PolicyBinding.arguments(new HeaderMatch(name, regex)))));
		match.query()
			.forEach((name, regex) -> predicates
				.add(predicate("QueryMatch", PolicyBinding.arguments(new QueryMatch(name, regex)))));
		if (match.host() != null) {
			predicates.add(predicate("HostMatch", PolicyBinding.arguments(new HostMatch(match.host()))));
		}
		if (match.listener() != null) {
			predicates.add(predicate("ListenerMatch", PolicyBinding.arguments(match.listener())));
		}
		// identity last: the cheaper request-line and header tests rule most requests out first
		match.claims()
			.forEach((claim, regex) -> predicates
				.add(predicate("ClaimMatch", PolicyBinding.arguments(new ClaimMatch(claim, regex)))));
		if (!match.principals().isEmpty()) {
			predicates.add(predicate("PrincipalMatch", PolicyBinding.arguments(new PrincipalMatch(match.principals()))));
		}
		return predicates;
	}

	/** The matched prefix a {@code replacePrefixMatch} replaces; none without one. */
	private static String prefixFor(String replacePrefixMatch, RouteMatch match) {
		return replacePrefixMatch == null ? null : match.path();
	}

	private static WeightedBackends backends(List<Backend> backends) {
		return new WeightedBackends(backends.stream().map(Backend::target).toList(),
				backends.stream().map(Backend::weight).toList());
	}

	/** A filter whose arguments are the fields of {@code arguments}, a record its factory binds them into. */
	private static FilterDefinition filter(String name, Record arguments) {
		return filter(name, PolicyBinding.arguments(arguments));
	}

	private static FilterDefinition filter(String name, Map<String, String> args) {
		FilterDefinition filter = new FilterDefinition();
		filter.setName(name);
		filter.setArgs(new LinkedHashMap<>(args));
		return filter;
	}

	private static PredicateDefinition predicate(String name, Map<String, String> args) {
		PredicateDefinition predicate = new PredicateDefinition();
		predicate.setName(name);
		predicate.setArgs(new LinkedHashMap<>(args));
		return predicate;
	}

}
