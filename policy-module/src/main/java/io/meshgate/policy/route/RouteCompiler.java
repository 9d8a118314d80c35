package io.meshgate.policy.route;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.route.lookup.RouteIndex;

/**
 * Compiles Meshgate routes into ordinary Spring Cloud Gateway route definitions, built from the
 * same predicate and filter names and arguments a user would write in plain gateway YAML. That is
 * why {@code /actuator/gateway/routes} shows exactly what runs, and why every policy has one
 * code path, whether it comes from Meshgate's model or from gateway YAML.
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
		definition.setPredicates(predicates(route.match()));
		definition.setUri(route.redirect() != null ? NO_UPSTREAM : URI.create("lb://"
				+ route.backends().stream().filter(b -> b.weight() > 0).findFirst().orElseThrow().upstream()));

		List<FilterDefinition> filters = new ArrayList<>();
		if (route.rateLimit() != null) {
			filters.add(filter("LocalRateLimit", rateLimit(route.rateLimit())));
		}
		if (route.fault().active()) {
			filters.add(filter("Fault", fault(route.fault())));
		}
		if (route.timeout() != null) {
			filters.add(filter("RouteTimeout", Map.of("timeout", ms(route.timeout()))));
		}
		if (route.responseHeaders() != null && !route.responseHeaders().isEmpty()) {
			filters.add(filter("ResponseHeaderModifier", headers(route.responseHeaders())));
		}
		if (route.redirect() != null) {
			filters.add(filter("RequestRedirect", redirect(route.redirect(), route.match())));
		}
		if (route.requestHeaders() != null && !route.requestHeaders().isEmpty()) {
			filters.add(filter("RequestHeaderModifier", headers(route.requestHeaders())));
		}
		if (route.rewrite() != null) {
			filters.add(filter("UrlRewrite", rewrite(route.rewrite(), route.match())));
		}
		route.mirrors().forEach(mirror -> filters.add(filter("RequestMirror", mirror(mirror))));
		if (route.backends().size() > 1) {
			filters.add(filter("Canary", canary(route.backends(), route.canary())));
		}
		if (route.retries() != null) {
			filters.add(filter("BudgetedRetry", retries(route.retries())));
		}
		definition.setFilters(filters);
		return definition;
	}

	/** Ownership, and the first path segment the route index files the route under, when certain. */
	private static Map<String, Object> metadata(RouteMatch match) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put(OWNER_METADATA, "meshgate");
		// every path type but a regular expression starts with its literal first segment
		String firstSegment = match.pathType() == PathType.REGEX ? null : RouteIndex.firstLiteralSegment(match.path());
		if (firstSegment != null) {
			metadata.put(RouteIndex.FIRST_SEGMENT, firstSegment);
		}
		return metadata;
	}

	private static List<PredicateDefinition> predicates(RouteMatch match) {
		List<PredicateDefinition> predicates = new ArrayList<>();
		if (match.pathType() == PathType.PATTERN) {
			predicates.add(predicate("Path", Map.of("patterns", match.path())));
		}
		else {
			predicates.add(predicate("PathMatch", args("type", match.pathType().name(), "path", match.path())));
		}
		if (!match.methods().isEmpty()) {
			// indexed: "GET,POST" as one value binds as a single (unknown) method
			Map<String, String> methods = new LinkedHashMap<>();
			for (int i = 0; i < match.methods().size(); i++) {
				methods.put("methods[" + i + "]", match.methods().get(i));
			}
			predicates.add(predicate("Method", methods));
		}
		match.headers()
			.forEach((name, regex) -> predicates.add(predicate("HeaderMatch", args("header", name, "regexp", regex))));
		match.query()
			.forEach((name, regex) -> predicates.add(predicate("QueryMatch", args("param", name, "regexp", regex))));
		if (match.host() != null) {
			predicates.add(predicate("Host", Map.of("patterns", match.host())));
		}
		return predicates;
	}

	private static Map<String, String> headers(HeaderModifier modifier) {
		Map<String, String> args = new LinkedHashMap<>();
		modifier.set().forEach((name, value) -> args.put("set[" + name + "]", value));
		modifier.add().forEach((name, value) -> args.put("add[" + name + "]", value));
		if (!modifier.remove().isEmpty()) {
			args.put("remove", String.join(",", modifier.remove()));
		}
		return args;
	}

	private static Map<String, String> rewrite(RewritePolicy rewrite, RouteMatch match) {
		Map<String, String> args = new LinkedHashMap<>();
		putIfSet(args, "hostname", rewrite.hostname());
		putIfSet(args, "replaceFullPath", rewrite.replaceFullPath());
		if (rewrite.replacePrefixMatch() != null) {
			args.put("replacePrefixMatch", rewrite.replacePrefixMatch());
			args.put("prefix", match.path());
		}
		return args;
	}

	private static Map<String, String> redirect(RedirectPolicy redirect, RouteMatch match) {
		Map<String, String> args = new LinkedHashMap<>();
		putIfSet(args, "scheme", redirect.scheme());
		putIfSet(args, "hostname", redirect.hostname());
		putIfSet(args, "port", redirect.port() == null ? null : String.valueOf(redirect.port()));
		putIfSet(args, "replaceFullPath", redirect.replaceFullPath());
		if (redirect.replacePrefixMatch() != null) {
			args.put("replacePrefixMatch", redirect.replacePrefixMatch());
			args.put("prefix", match.path());
		}
		args.put("statusCode", String.valueOf(redirect.statusCode()));
		return args;
	}

	/** Two arguments in the order a reader expects them. */
	private static Map<String, String> args(String name1, String value1, String name2, String value2) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put(name1, value1);
		args.put(name2, value2);
		return args;
	}

	private static void putIfSet(Map<String, String> args, String name, String value) {
		if (value != null) {
			args.put(name, value);
		}
	}

	private static Map<String, String> canary(List<Backend> backends, CanaryPolicy canary) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put("backends", backends.stream().map(b -> b.upstream() + ":" + b.weight()).collect(Collectors.joining(",")));
		if (canary.stickyOn() != null) {
			args.put("stickyOn", canary.stickyOn().toString());
		}
		if (canary.overridable()) {
			args.put("overrideHeader", canary.overrideHeader());
			if (!canary.overrideFrom().isEmpty()) {
				args.put("overrideFrom", String.join(",", canary.overrideFrom()));
			}
			args.put("allowZeroWeight", String.valueOf(canary.allowZeroWeight()));
		}
		return args;
	}

	private static Map<String, String> mirror(MirrorPolicy mirror) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put("upstream", mirror.upstream());
		args.put("percentage", String.valueOf(mirror.percentage()));
		args.put("maxBodySize", mirror.maxBodySize().toBytes() + "B");
		args.put("maxConcurrent", String.valueOf(mirror.maxConcurrent()));
		args.put("timeout", ms(mirror.timeout()));
		return args;
	}

	private static Map<String, String> retries(RetryPolicy retries) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put("attempts", String.valueOf(retries.attempts()));
		if (retries.perTryTimeout() != null) {
			args.put("perTryTimeout", ms(retries.perTryTimeout()));
		}
		args.put("retryOn", retries.retryOn().stream().map(Object::toString).collect(Collectors.joining(",")));
		args.put("baseInterval", ms(retries.baseInterval()));
		args.put("maxInterval", ms(retries.maxInterval()));
		args.put("budgetPercent", String.valueOf(retries.budgetPercent()));
		args.put("minRetryConcurrency", String.valueOf(retries.minRetryConcurrency()));
		args.put("retryNonIdempotent", String.valueOf(retries.retryNonIdempotent()));
		args.put("maxBodySize", retries.maxBodySize().toBytes() + "B");
		return args;
	}

	private static Map<String, String> fault(FaultPolicy fault) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put("delay.percentage", String.valueOf(fault.delay().percentage()));
		args.put("delay.fixedDelay", ms(fault.delay().fixedDelay()));
		args.put("abort.percentage", String.valueOf(fault.abort().percentage()));
		args.put("abort.httpStatus", String.valueOf(fault.abort().httpStatus()));
		return args;
	}

	private static Map<String, String> rateLimit(RateLimitPolicy rateLimit) {
		Map<String, String> args = new LinkedHashMap<>();
		args.put("maxTokens", String.valueOf(rateLimit.maxTokens()));
		args.put("tokensPerFill", String.valueOf(rateLimit.tokensPerFill()));
		args.put("fillInterval", ms(rateLimit.fillInterval()));
		args.put("keyOn", rateLimit.keyOn().toString());
		args.put("maxKeys", String.valueOf(rateLimit.maxKeys()));
		return args;
	}

	private static String ms(Duration duration) {
		return duration.toMillis() + "ms";
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
