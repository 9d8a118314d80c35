package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;

import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.Precedence;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.gateway.kubernetes.gatewayapi.HttpRouteTranslator.Refs;
import io.meshgate.gateway.kubernetes.gatewayapi.HttpRouteTranslator.Result;

/**
 * One GRPCRoute, accepted at some {@link RoutePlace}s, as Meshgate routes, the way
 * {@link HttpRouteTranslator} does an HTTPRoute: one route per (rule, match, place). A method match
 * becomes {@code match.grpc} ({@code Exact} → {@code EXACT}, {@code RegularExpression} →
 * {@code REGEX}); a match without one takes every call; header matches, weighted
 * {@code backendRefs} (with their header filters), and the rule filters
 * {@code RequestHeaderModifier}, {@code ResponseHeaderModifier} and {@code RequestMirror} are
 * those of HTTPRoute. Backends are meant to speak gRPC: a Service port with
 * {@code appProtocol: kubernetes.io/h2c} gives an {@code H2C} upstream. Whatever Meshgate cannot
 * serve makes the whole object unaccepted.
 *
 * <p>Precedence among GRPCRoutes follows the path the match compiles to: an exact service and
 * method before a service alone before regular expressions, longer names first, then more header
 * matches, then age and name (Gateway API orders by the service's and the method's characters).
 */
final class GrpcRouteTranslator {

	private static final String KIND = "GRPCRoute";

	private GrpcRouteTranslator() {
	}

	/** @param places where the route is served: listener ports and host names */
	static Result translate(GRPCRoute object, Set<RoutePlace> places, ServiceUpstreams upstreams) {
		String namespace = object.getMetadata().getNamespace();
		String name = object.getMetadata().getName();
		Refs refs = new Refs();
		List<Map<String, Object>> trees = new ArrayList<>();
		List<Precedence> order = new ArrayList<>();
		Set<String> used = new LinkedHashSet<>();
		try {
			List<GRPCRouteRule> rules = object.getSpec().getRules() == null ? List.of() : object.getSpec().getRules();
			for (int r = 0; r < rules.size(); r++) {
				GRPCRouteRule rule = rules.get(r);
				String where = "rules[" + r + "]";
				Map<String, Object> filters = filters(rule.getFilters(), namespace, upstreams, refs, used, where);
				List<Map<String, Object>> backends = backends(rule, namespace, upstreams, refs, used, where);
				List<GRPCRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
						? List.of(new GRPCRouteMatch()) : rule.getMatches();
				for (int m = 0; m < matches.size(); m++) {
					int h = 0;
					for (RoutePlace place : places) {
						Map<String, Object> tree = new LinkedHashMap<>();
						tree.put("id", Names.route("grpcroute", namespace, name, r, m, h++));
						order.add(match(tree, matches.get(m), place, object, r, m, where + ".matches[" + m + "]"));
						tree.put("backends", backends);
						tree.putAll(filters);
						trees.add(tree);
					}
				}
			}
			return HttpRouteTranslator.bound(new ObjectKey(KIND, namespace, name), trees, order, used, upstreams, refs);
		}
		catch (IllegalArgumentException | InvalidConfigException ex) {
			return HttpRouteTranslator.refused(ex, refs);
		}
	}

	/** The rule's shares, as HTTPRoute's: an upstream per usable reference, a 500 answer per unusable one. */
	private static List<Map<String, Object>> backends(GRPCRouteRule rule, String namespace, ServiceUpstreams upstreams,
			Refs refs, Set<String> used, String where) {
		List<Map<String, Object>> backends = new ArrayList<>();
		List<GRPCBackendRef> refList = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
		for (int i = 0; i < refList.size(); i++) {
			GRPCBackendRef ref = refList.get(i);
			String path = where + ".backendRefs[" + i + "]";
			Map<String, Object> headerFilters = filters(ref.getFilters(), namespace, upstreams, refs, used, path);
			if (headerFilters.containsKey("mirrors")) {
				throw new IllegalArgumentException(path + ".filters: RequestMirror (expected: RequestHeaderModifier or "
						+ "ResponseHeaderModifier on a backendRef)");
			}
			String upstream = HttpRouteTranslator.service(KIND, ref.getGroup(), ref.getKind(), ref.getName(),
					ref.getNamespace(), ref.getPort(), namespace, upstreams, refs, path);
			backends.add(HttpRouteTranslator.share(upstream, ref.getWeight(), headerFilters, used));
		}
		return HttpRouteTranslator.answering(backends);
	}

	/** Filters as route (or backend) fields: header modifiers and mirrors; anything else is refused. */
	private static Map<String, Object> filters(List<GRPCRouteFilter> filters, String namespace,
			ServiceUpstreams upstreams, Refs refs, Set<String> used, String where) {
		Map<String, Object> fields = new LinkedHashMap<>();
		List<Map<String, Object>> mirrors = new ArrayList<>();
		List<GRPCRouteFilter> list = filters == null ? List.of() : filters;
		for (int i = 0; i < list.size(); i++) {
			GRPCRouteFilter filter = list.get(i);
			String path = where + ".filters[" + i + "]";
			switch (String.valueOf(filter.getType())) {
				case "RequestHeaderModifier" -> HttpRouteTranslator.once(fields, "requestHeaders",
						HttpRouteTranslator.headers(filter.getRequestHeaderModifier()), path);
				case "ResponseHeaderModifier" -> HttpRouteTranslator.once(fields, "responseHeaders",
						HttpRouteTranslator.headers(filter.getResponseHeaderModifier()), path);
				case "RequestMirror" -> {
					Map<String, Object> mirror = HttpRouteTranslator.mirror(KIND, filter.getRequestMirror(), namespace,
							upstreams, refs, used, path);
					if (mirror != null) {
						mirrors.add(mirror);
					}
				}
				default -> throw new IllegalArgumentException(path + ".type: " + filter.getType()
						+ " (expected: RequestHeaderModifier, ResponseHeaderModifier or RequestMirror)");
			}
		}
		if (!mirrors.isEmpty()) {
			fields.put("mirrors", mirrors);
		}
		return fields;
	}

	private static Precedence match(Map<String, Object> tree, GRPCRouteMatch match, RoutePlace place, GRPCRoute object,
			int rule, int index, String where) {
		Map<String, Object> fields = new LinkedHashMap<>();
		GRPCMethodMatch method = match.getMethod();
		Precedence.PathType pathType = Precedence.PathType.PREFIX;
		int length = 1;
		if (method != null && (method.getService() != null || method.getMethod() != null)) {
			String type = method.getType() == null ? "Exact" : method.getType();
			Map<String, Object> grpc = new LinkedHashMap<>();
			putIfPresent(grpc, "service", method.getService());
			putIfPresent(grpc, "method", method.getMethod());
			grpc.put("type", switch (type) {
				case "Exact" -> "EXACT";
				case "RegularExpression" -> "REGEX";
				default -> throw new IllegalArgumentException(
						where + ".method.type: " + type + " (expected: Exact or RegularExpression)");
			});
			fields.put("grpc", grpc);
			boolean exact = "Exact".equals(type);
			pathType = exact && method.getService() != null && method.getMethod() != null ? Precedence.PathType.EXACT
					: exact && method.getService() != null ? Precedence.PathType.PREFIX : Precedence.PathType.REGEX;
			length = 2 + length(method.getService()) + length(method.getMethod());
		}
		else {
			fields.put("path", "/");
			fields.put("pathType", "PREFIX");
		}
		List<GRPCHeaderMatch> headers = match.getHeaders() == null ? List.of() : match.getHeaders();
		if (!headers.isEmpty()) {
			Map<String, Object> regexes = new LinkedHashMap<>();
			for (GRPCHeaderMatch header : headers) {
				regexes.put(header.getName(), HttpRouteTranslator.valueRegex(header.getType(), header.getValue(),
						where + ".headers." + header.getName()));
			}
			fields.put("headers", regexes);
		}
		HttpRouteTranslator.place(fields, place);
		tree.put("match", fields);
		return new Precedence(place.hostname(), pathType, length, false, headers.size(), 0,
				object.getMetadata().getCreationTimestamp(), object.getMetadata().getNamespace(),
				object.getMetadata().getName(), rule, index);
	}

	private static int length(String name) {
		return name == null ? 0 : name.length();
	}

	private static void putIfPresent(Map<String, Object> tree, String key, Object value) {
		if (value != null && !"".equals(value)) {
			tree.put(key, value);
		}
	}

}
