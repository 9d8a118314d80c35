package io.meshgate.gateway.kubernetes.gatewayapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;

import io.meshgate.admin.model.ConfigError;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.gateway.kubernetes.Annotations;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.Paths;
import io.meshgate.gateway.kubernetes.Precedence;
import io.meshgate.gateway.kubernetes.RouteCandidate;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.LinearRegex;
import io.meshgate.policy.route.Route;

/**
 * One HTTPRoute, accepted by at least one of Meshgate's Gateways at some {@link RoutePlace}s, as
 * Meshgate routes: one per (rule, match, place), each taking requests of its place's listener
 * port and host names only, with stable ids. Pure: what it needs is
 * passed in. Whatever Meshgate cannot serve makes the whole object unaccepted
 * ({@link Result#unsupported}), so that a route is never served half-way.
 *
 * <p>A backend reference that cannot be used (a missing Service, a kind other than Service, a
 * namespace the route may not reach) keeps its weight as a share answered 500
 * ({@link Backend#answering}), and its problem goes to {@code ResolvedRefs}; a rule with no
 * backend reference, or whose weights are all 0, answers 500 to all its requests. Either way the
 * rule's requests stay on the rule: they never fall through to a less specific one.
 */
final class HttpRouteTranslator {

	private static final String KIND = "HTTPRoute";

	/** What a request to a backend reference that cannot be used answers, as Gateway API says. */
	private static final int INVALID_BACKEND_STATUS = 500;

	/** Gateway API durations (GEP-2257): {@code 1h}, {@code 30s}, {@code 500ms}, {@code 1m30s}. */
	private static final Pattern DURATION = Pattern.compile("(\\d{1,5})(h|ms|m|s)");

	/** The routes, the backend problems ({@code ResolvedRefs}) and what could not be served ({@code Accepted}). */
	record Result(List<RouteCandidate> routes, String refsReason, String refsMessage, String unsupported) {

	}

	private HttpRouteTranslator() {
	}

	/** @param places where the route is served: listener ports and host names */
	static Result translate(HTTPRoute object, Set<RoutePlace> places, ServiceUpstreams upstreams) {
		String namespace = object.getMetadata().getNamespace();
		String name = object.getMetadata().getName();
		Refs refs = new Refs();
		List<Map<String, Object>> trees = new ArrayList<>();
		List<Precedence> order = new ArrayList<>();
		Set<String> used = new LinkedHashSet<>();
		try {
			List<HTTPRouteRule> rules = object.getSpec().getRules() == null ? List.of() : object.getSpec().getRules();
			for (int r = 0; r < rules.size(); r++) {
				HTTPRouteRule rule = rules.get(r);
				String where = "rules[" + r + "]";
				Map<String, Object> filters = filters(rule, namespace, upstreams, refs, used, where);
				List<Map<String, Object>> backends = filters.containsKey("redirect") ? List.of()
						: backends(rule, namespace, upstreams, refs, used, where);
				List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
						? List.of(new HTTPRouteMatch()) : rule.getMatches();
				for (int m = 0; m < matches.size(); m++) {
					int h = 0;
					for (RoutePlace place : places) {
						Map<String, Object> tree = new LinkedHashMap<>();
						tree.put("id", Names.route("httproute", namespace, name, r, m, h++));
						Precedence precedence = match(tree, matches.get(m), place, object, r, m, where + ".matches[" + m + "]");
						if (!backends.isEmpty()) {
							tree.put("backends", backends);
						}
						tree.putAll(filters);
						if (!filters.containsKey("redirect")) {
							policies(tree, rule, object, where);
						}
						trees.add(tree);
						order.add(precedence);
					}
				}
			}
			return bound(new ObjectKey(KIND, namespace, name), trees, order, used, upstreams, refs);
		}
		catch (IllegalArgumentException | InvalidConfigException ex) {
			return refused(ex, refs);
		}
	}

	/** The route trees bound as routes of {@code owner}, each with its precedence. */
	static Result bound(ObjectKey owner, List<Map<String, Object>> trees, List<Precedence> order, Set<String> used,
			ServiceUpstreams upstreams, Refs refs) {
		List<Route> bound = upstreams.bindRoutes(trees, used);
		List<RouteCandidate> routes = new ArrayList<>();
		for (int i = 0; i < bound.size(); i++) {
			routes.add(new RouteCandidate(owner, bound.get(i), order.get(i)));
		}
		return new Result(routes, refs.reason, refs.message, null);
	}

	/** A route object Meshgate cannot serve: no routes, the refusal as the {@code Accepted} message. */
	static Result refused(RuntimeException ex, Refs refs) {
		return new Result(List.of(), refs.reason, refs.message, ex instanceof InvalidConfigException invalid
				? String.join("; ", invalid.errors().stream().map(ConfigError::message).toList()) : ex.getMessage());
	}

	/** Makes the upstream of a Service port: {@link ServiceUpstreams#resolve} or {@link ServiceUpstreams#resolveTcp}. */
	interface ServiceResolver {

		ServiceUpstreams.Resolved resolve(String namespace, String service, int port);

	}

	/** The first backend problem found, as the {@code ResolvedRefs} condition reports it. */
	static final class Refs {

		String reason;

		String message;

		void problem(String reason, String message) {
			if (this.reason == null) {
				this.reason = reason;
				this.message = message;
			}
		}

	}

	/** The rule's shares: an upstream per usable reference, a 500 answer per unusable one. */
	private static List<Map<String, Object>> backends(HTTPRouteRule rule, String namespace, ServiceUpstreams upstreams,
			Refs refs, Set<String> used, String where) {
		List<Map<String, Object>> backends = new ArrayList<>();
		List<HTTPBackendRef> refList = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
		for (int i = 0; i < refList.size(); i++) {
			HTTPBackendRef ref = refList.get(i);
			String path = where + ".backendRefs[" + i + "]";
			String upstream = service(KIND, ref.getGroup(), ref.getKind(), ref.getName(), ref.getNamespace(), ref.getPort(),
					namespace, upstreams, refs, path);
			backends.add(share(upstream, ref.getWeight(), backendFilters(ref, path), used));
		}
		return answering(backends);
	}

	/** A backendRef's share: its upstream with its header filters, or 500 when it cannot be used (its filters go nowhere). */
	static Map<String, Object> share(String upstream, Integer weight, Map<String, Object> headerFilters, Set<String> used) {
		int share = weight == null ? Backend.DEFAULT_WEIGHT : weight;
		if (upstream == null) {
			return invalidBackend(share);
		}
		used.add(upstream);
		Map<String, Object> backend = new LinkedHashMap<>(Map.of("upstream", upstream, "weight", share));
		backend.putAll(headerFilters);
		return backend;
	}

	/** {@code backends}, with a 500 share when their weights leave nothing to send to: the rule answers 500. */
	static List<Map<String, Object>> answering(List<Map<String, Object>> backends) {
		if (backends.stream().mapToInt(b -> (Integer) b.get("weight")).sum() == 0) {
			backends.add(invalidBackend(Backend.DEFAULT_WEIGHT));
		}
		return backends;
	}

	/**
	 * A backendRef's filters as the backend's {@code requestHeaders} and {@code responseHeaders};
	 * the other filter types are refused on a backendRef.
	 */
	private static Map<String, Object> backendFilters(HTTPBackendRef ref, String where) {
		Map<String, Object> fields = new LinkedHashMap<>();
		List<HTTPRouteFilter> filters = ref.getFilters() == null ? List.of() : ref.getFilters();
		for (int i = 0; i < filters.size(); i++) {
			HTTPRouteFilter filter = filters.get(i);
			String path = where + ".filters[" + i + "]";
			switch (String.valueOf(filter.getType())) {
				case "RequestHeaderModifier" -> once(fields, "requestHeaders", headers(filter.getRequestHeaderModifier()), path);
				case "ResponseHeaderModifier" -> once(fields, "responseHeaders", headers(filter.getResponseHeaderModifier()), path);
				default -> throw new IllegalArgumentException(path + ".type: " + filter.getType()
						+ " (expected: RequestHeaderModifier or ResponseHeaderModifier on a backendRef)");
			}
		}
		return fields;
	}

	/** The share of a backend reference that cannot be used: Gateway API wants 500 for it. */
	private static Map<String, Object> invalidBackend(int weight) {
		return new LinkedHashMap<>(Map.of("status", INVALID_BACKEND_STATUS, "weight", weight));
	}

	/**
	 * The upstream of a Service reference, or null when it cannot be used (an invalid backend),
	 * with the reason in {@code refs}. Every refusal of a reference is decided here.
	 */
	static String service(String routeKind, String group, String kind, String name, String refNamespace, Integer port,
			String namespace, ServiceUpstreams upstreams, Refs refs, String path) {
		return service(routeKind, group, kind, name, refNamespace, port, namespace, upstreams, upstreams::resolve, refs,
				path);
	}

	/** As above, with the Service port's upstream made by {@code resolver} (an HTTP or a TCP upstream). */
	static String service(String routeKind, String group, String kind, String name, String refNamespace, Integer port,
			String namespace, ServiceUpstreams upstreams, ServiceResolver resolver, Refs refs, String path) {
		if (group != null && !group.isEmpty() || kind != null && !kind.equals("Service")) {
			refs.problem("InvalidKind", path + ": " + group + "/" + kind + " (expected: a core Service)");
			return null;
		}
		String target = refNamespace == null ? namespace : refNamespace;
		if (!upstreams.referenceGrants().permits(routeKind, namespace, new ObjectKey("Service", target, name))) {
			refs.problem("RefNotPermitted", path + ".namespace: " + target + " (expected: " + namespace
					+ ", or a ReferenceGrant in " + target + " from " + routeKind + "s of " + namespace + " to Service " + name
					+ ")");
			return null;
		}
		if (port == null) {
			throw new IllegalArgumentException(path + ".port: null (expected: the Service port)");
		}
		ServiceUpstreams.Resolved resolved = resolver.resolve(target, name, port);
		if (resolved.error() != null) {
			throw new IllegalArgumentException(resolved.error());
		}
		if (!resolved.serviceExists()) {
			refs.problem("BackendNotFound", path + ": Service " + target + "/" + name + " does not exist");
			return null;
		}
		if (resolved.unusable() != null) {
			return null; // the reference resolved; its BackendTLSPolicy's status says what is wrong
		}
		return resolved.upstream();
	}

	/**
	 * The rule's filters as route fields: {@code mirrors}, {@code requestHeaders},
	 * {@code responseHeaders}, {@code rewrite}, {@code redirect} and {@code cors}. ExtensionRef and
	 * anything else is refused.
	 */
	private static Map<String, Object> filters(HTTPRouteRule rule, String namespace, ServiceUpstreams upstreams,
			Refs refs, Set<String> used, String where) {
		Map<String, Object> fields = new LinkedHashMap<>();
		List<Map<String, Object>> mirrors = new ArrayList<>();
		List<HTTPRouteFilter> filters = rule.getFilters() == null ? List.of() : rule.getFilters();
		for (int i = 0; i < filters.size(); i++) {
			HTTPRouteFilter filter = filters.get(i);
			String path = where + ".filters[" + i + "]";
			String type = String.valueOf(filter.getType());
			switch (type) {
				case "RequestMirror" -> {
					Map<String, Object> mirror = mirror(KIND, filter.getRequestMirror(), namespace, upstreams, refs, used, path);
					if (mirror != null) {
						mirrors.add(mirror);
					}
				}
				case "RequestHeaderModifier" -> once(fields, "requestHeaders", headers(filter.getRequestHeaderModifier()), path);
				case "ResponseHeaderModifier" -> once(fields, "responseHeaders", headers(filter.getResponseHeaderModifier()), path);
				case "URLRewrite" -> once(fields, "rewrite", rewrite(filter.getUrlRewrite()), path);
				case "RequestRedirect" -> once(fields, "redirect", redirect(filter.getRequestRedirect()), path);
				case "CORS" -> once(fields, "cors", cors(filter), path);
				default -> throw new IllegalArgumentException(path + ".type: " + type + " (expected: RequestHeaderModifier, "
						+ "ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror or CORS)");
			}
		}
		if (!mirrors.isEmpty()) {
			fields.put("mirrors", mirrors);
		}
		preserveHost(fields);
		return fields;
	}

	/**
	 * Gateway API backends receive the client's {@code Host} unless a {@code URLRewrite} sets one;
	 * a redirect sends nothing upstream.
	 */
	@SuppressWarnings("unchecked")
	private static void preserveHost(Map<String, Object> fields) {
		if (fields.containsKey("redirect")) {
			return;
		}
		Map<String, Object> rewrite = (Map<String, Object>) fields.computeIfAbsent("rewrite", k -> new LinkedHashMap<>());
		if (!rewrite.containsKey("hostname")) {
			rewrite.put("preserveHost", true);
		}
	}

	static void once(Map<String, Object> fields, String field, Object value, String path) {
		if (value == null) {
			throw new IllegalArgumentException(path + ": the filter's own field is missing (expected: as its type says)");
		}
		if (fields.put(field, value) != null) {
			throw new IllegalArgumentException(path + ".type: the same filter twice in a rule (expected: once)");
		}
	}

	static Map<String, Object> headers(HTTPHeaderFilter filter) {
		if (filter == null) {
			return null;
		}
		Map<String, Object> tree = new LinkedHashMap<>();
		if (filter.getSet() != null && !filter.getSet().isEmpty()) {
			Map<String, Object> set = new LinkedHashMap<>();
			filter.getSet().forEach(h -> set.put(h.getName(), h.getValue()));
			tree.put("set", set);
		}
		if (filter.getAdd() != null && !filter.getAdd().isEmpty()) {
			Map<String, Object> add = new LinkedHashMap<>();
			filter.getAdd().forEach(h -> add.put(h.getName(), h.getValue()));
			tree.put("add", add);
		}
		if (filter.getRemove() != null && !filter.getRemove().isEmpty()) {
			tree.put("remove", filter.getRemove());
		}
		return tree;
	}

	private static Map<String, Object> rewrite(HTTPURLRewriteFilter filter) {
		if (filter == null) {
			return null;
		}
		Map<String, Object> tree = new LinkedHashMap<>();
		putIfPresent(tree, "hostname", filter.getHostname());
		path(tree, filter.getPath());
		return tree;
	}

	private static Map<String, Object> redirect(HTTPRequestRedirectFilter filter) {
		if (filter == null) {
			return null;
		}
		Map<String, Object> tree = new LinkedHashMap<>();
		putIfPresent(tree, "scheme", filter.getScheme());
		putIfPresent(tree, "hostname", filter.getHostname());
		putIfPresent(tree, "port", filter.getPort());
		path(tree, filter.getPath());
		tree.put("statusCode", filter.getStatusCode() == null ? 302 : filter.getStatusCode());
		return tree;
	}

	/**
	 * The {@code CORS} filter's {@code cors}, whose fields are {@code cors}'s own (Gateway API's
	 * {@code HTTPCORSFilter}; {@code maxAge} in seconds). The model this client was built from
	 * predates the filter, so it is read from the filter's unknown properties; a field Meshgate does
	 * not know makes the route unaccepted when the route is bound.
	 */
	private static Map<String, Object> cors(HTTPRouteFilter filter) {
		if (!(filter.getAdditionalProperties().get("cors") instanceof Map<?, ?> cors)) {
			return null;
		}
		Map<String, Object> tree = new LinkedHashMap<>();
		cors.forEach((field, value) -> tree.put(String.valueOf(field), value));
		return tree;
	}

	private static void path(Map<String, Object> tree, HTTPPathModifier path) {
		if (path != null) {
			putIfPresent(tree, "ReplacePrefixMatch".equals(path.getType()) ? "replacePrefixMatch" : "replaceFullPath",
					"ReplacePrefixMatch".equals(path.getType()) ? path.getReplacePrefixMatch() : path.getReplaceFullPath());
		}
	}

	private static void putIfPresent(Map<String, Object> tree, String key, Object value) {
		if (value != null) {
			tree.put(key, value);
		}
	}

	/**
	 * The mirror's fields; null for a mirror to a Service that does not exist (yet), which is left
	 * out, with {@code BackendNotFound} in {@code routeRefs}, until the Service appears.
	 */
	static Map<String, Object> mirror(String routeKind, HTTPRequestMirrorFilter mirror, String namespace,
			ServiceUpstreams upstreams, Refs routeRefs, Set<String> used, String path) {
		BackendObjectReference ref = mirror == null ? null : mirror.getBackendRef();
		Refs refs = new Refs();
		String upstream = ref == null ? null
				: service(routeKind, ref.getGroup(), ref.getKind(), ref.getName(), ref.getNamespace(), ref.getPort(),
						namespace, upstreams, refs, path + ".requestMirror.backendRef");
		if (upstream == null && "BackendNotFound".equals(refs.reason)) {
			routeRefs.problem(refs.reason, refs.message);
			return null;
		}
		if (upstream == null) {
			throw new IllegalArgumentException(refs.message != null ? refs.message
					: path + ".requestMirror.backendRef: null (expected: a Service)");
		}
		used.add(upstream);
		Map<String, Object> tree = new LinkedHashMap<>();
		tree.put("upstream", upstream);
		tree.put("percentage", percentage(mirror, path));
		return tree;
	}

	private static double percentage(HTTPRequestMirrorFilter mirror, String path) {
		if (mirror.getPercent() != null) {
			return mirror.getPercent();
		}
		if (mirror.getFraction() != null) {
			Integer numerator = mirror.getFraction().getNumerator();
			Integer denominator = mirror.getFraction().getDenominator() == null ? 100 : mirror.getFraction().getDenominator();
			if (numerator == null || denominator <= 0 || numerator < 0 || numerator > denominator) {
				throw new IllegalArgumentException(path + ".requestMirror.fraction: " + numerator + "/" + denominator
						+ " (expected: 0 <= numerator <= denominator, denominator > 0)");
			}
			return 100.0 * numerator / denominator;
		}
		return 100.0;
	}

	private static Precedence match(Map<String, Object> tree, HTTPRouteMatch match, RoutePlace place, HTTPRoute object,
			int rule, int index, String where) {
		String hostname = place.hostname();
		String type = match.getPath() == null || match.getPath().getType() == null ? "PathPrefix" : match.getPath().getType();
		String value = match.getPath() == null || match.getPath().getValue() == null ? "/" : match.getPath().getValue();
		Precedence.PathType pathType = switch (type) {
			case "Exact" -> Precedence.PathType.EXACT;
			case "PathPrefix" -> Precedence.PathType.PREFIX;
			case "RegularExpression" -> Precedence.PathType.REGEX;
			default -> throw new IllegalArgumentException(
					where + ".path.type: " + type + " (expected: Exact, PathPrefix or RegularExpression)");
		};
		Map<String, Object> fields = new LinkedHashMap<>(Paths.match(pathType, value));
		if (match.getMethod() != null) {
			fields.put("methods", List.of(match.getMethod()));
		}
		List<HTTPHeaderMatch> headers = match.getHeaders() == null ? List.of() : match.getHeaders();
		if (!headers.isEmpty()) {
			Map<String, Object> regexes = new LinkedHashMap<>();
			for (HTTPHeaderMatch header : headers) {
				regexes.put(header.getName(),
						valueRegex(header.getType(), header.getValue(), where + ".headers." + header.getName()));
			}
			fields.put("headers", regexes);
		}
		List<HTTPQueryParamMatch> queryParams = match.getQueryParams() == null ? List.of() : match.getQueryParams();
		if (!queryParams.isEmpty()) {
			Map<String, Object> regexes = new LinkedHashMap<>();
			for (HTTPQueryParamMatch param : queryParams) {
				regexes.put(param.getName(),
						valueRegex(param.getType(), param.getValue(), where + ".queryParams." + param.getName()));
			}
			fields.put("query", regexes);
		}
		place(fields, place);
		tree.put("match", fields);
		return new Precedence(hostname, pathType, value.length(), match.getMethod() != null, headers.size(),
				queryParams.size(),
				object.getMetadata().getCreationTimestamp(), object.getMetadata().getNamespace(),
				object.getMetadata().getName(), rule, index);
	}

	/** A header or query match's value as the regex Meshgate matches: {@code Exact} quoted, {@code RegularExpression} as is. */
	static String valueRegex(String type, String value, String where) {
		String matchType = type == null ? "Exact" : type;
		return switch (matchType) {
			case "Exact" -> LinearRegex.quote(value);
			case "RegularExpression" -> value;
			default -> throw new IllegalArgumentException(
					where + ".type: " + matchType + " (expected: Exact or RegularExpression)");
		};
	}

	/** A match's {@code host} and {@code listener}: the requests of {@code place} only. */
	static void place(Map<String, Object> fields, RoutePlace place) {
		String host = Paths.host(place.hostname());
		if (host != null) {
			fields.put("host", host);
		}
		Map<String, Object> listener = new LinkedHashMap<>();
		listener.put("port", place.port());
		if (!place.exceptHosts().isEmpty()) {
			listener.put("exceptHosts", place.exceptHosts());
		}
		fields.put("listener", listener);
	}

	private static void policies(Map<String, Object> tree, HTTPRouteRule rule, HTTPRoute object, String where) {
		HTTPRouteTimeouts timeouts = rule.getTimeouts();
		Object retries = Annotations.tree(object, Annotations.RETRIES);
		Map<String, Object> canary = Annotations.canary(object);
		Object rollout = rollout(object, tree);
		if (rollout != null) {
			canary = canary == null ? new LinkedHashMap<>() : canary;
			canary.put("rollout", rollout);
		}
		if (canary != null) {
			tree.put("canary", canary);
		}
		Object extAuthz = Annotations.tree(object, Annotations.EXT_AUTHZ);
		if (extAuthz != null) {
			tree.put("extAuthz", extAuthz);
		}
		Duration request = timeouts == null ? null : duration(timeouts.getRequest(), where + ".timeouts.request");
		Duration backendRequest = timeouts == null ? null
				: duration(timeouts.getBackendRequest(), where + ".timeouts.backendRequest");
		if (request != null) {
			tree.put("timeout", request.toMillis() + "ms");
		}
		if (retries == null && (backendRequest != null || rule.getRetry() != null)) {
			// a backend timeout alone is one try with its own deadline; a rule's retry says the rest
			retries = new LinkedHashMap<>(rule.getRetry() == null ? Map.of("attempts", 0) : Map.of());
		}
		if (retries instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>(map);
			if (rule.getRetry() != null) {
				// the rule's own retry wins over the annotation, which still gives what the rule leaves out (a budget)
				copy.putAll(RouteRetry.fields(rule.getRetry(), where + ".retry"));
			}
			if (backendRequest != null) {
				copy.put("perTryTimeout", backendRequest.toMillis() + "ms");
			}
			tree.put("retries", copy);
		}
		else if (retries != null) {
			throw new IllegalArgumentException(Annotations.RETRIES + ": " + retries
					+ " (expected: a map, as in {attempts: 2, retryOn: [connect-failure, 503]})");
		}
	}

	/** The HTTPRoute's rollout for a rule of two backends ({@link Annotations#ROLLOUT}); null for others. */
	private static Object rollout(HTTPRoute object, Map<String, Object> tree) {
		Object rollout = Annotations.tree(object, Annotations.ROLLOUT);
		if (rollout == null || !(tree.get("backends") instanceof List<?> backends) || backends.size() != 2) {
			return null;
		}
		if (!(rollout instanceof Map<?, ?> fields)) {
			throw new IllegalArgumentException(Annotations.ROLLOUT + ": " + rollout
					+ " (expected: a map, as in {steps: [5, 25, 100], stepDuration: 10m})");
		}
		if (Boolean.TRUE.equals(fields.get("promoteToBaseline")) || "true".equals(fields.get("promoteToBaseline"))) {
			throw new IllegalArgumentException(Annotations.ROLLOUT + ".promoteToBaseline: true (expected: false; "
					+ "Meshgate never rewrites the HTTPRoute's backendRefs)");
		}
		return rollout;
	}

	/** A GEP-2257 duration; {@code 0s} (no timeout) and absence are null. */
	static Duration duration(String text, String where) {
		if (text == null || text.isBlank()) {
			return null;
		}
		Matcher matcher = DURATION.matcher(text);
		Duration total = Duration.ZERO;
		int end = 0;
		while (matcher.lookingAt()) {
			long amount = Long.parseLong(matcher.group(1));
			total = total.plus(switch (matcher.group(2)) {
				case "h" -> Duration.ofHours(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "s" -> Duration.ofSeconds(amount);
				default -> Duration.ofMillis(amount);
			});
			end = matcher.end();
			matcher.region(end, text.length());
		}
		if (end != text.length()) {
			throw new IllegalArgumentException(where + ": " + text + " (expected: a duration such as 10s, 500ms or 1m30s)");
		}
		return total.isZero() ? null : total;
	}

}
