package io.meshgate.policy.route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.meshgate.policy.observe.Masking;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.FieldErrors;
import io.meshgate.policy.security.ClaimPath;

/**
 * Which requests a route takes: {@code {path: /orders, pathType: PREFIX, methods: [GET, POST],
 * headers: {x-env: "canary|beta"}, query: {version: "v[12]"}, host: "*.example.com",
 * claims: {tier: beta}, principals: [spiffe://cluster.local/ns/shop/sa/web]}}. All given
 * conditions must hold. Claims and principals are read from the request's verified identity
 * ({@code security.Identity}, set by the edge before route lookup): a request without a verified
 * token never matches a route with {@code claims}, one without a verified client certificate
 * never matches a route with {@code principals}.
 *
 * @param path what the request path must match, read as {@code pathType} says; required unless
 * {@code grpc} is given, which sets the path itself
 * @param pathType {@code PATTERN} (a Spring path pattern, {@code /orders/**}), {@code EXACT},
 * {@code PREFIX} (element-wise) or {@code REGEX} (whole path); default {@code PATTERN}
 * @param methods HTTP methods; default: any
 * @param headers header name to a regular expression (RE2 syntax, {@link LinearRegex}) one of its
 * values must match wholly; default: none
 * @param query query parameter name to a regular expression (RE2 syntax) its first value must match
 * wholly; default: none
 * @param host the request's host, port and case ignored ({@link HostPattern}): {@code shop.example.com},
 * {@code *.example.com} (one or more labels below example.com, not example.com) or
 * {@code **.example.com} (example.com and every name below it); default: any host
 * @param claims claim name, or path into object claims ({@code realm.roles}), to a regular
 * expression (RE2 syntax) the claim's value, or one element of an array claim, must match wholly
 * ({@code ClaimPath} says how values read as text); default: none
 * @param principals peer principals (the verified client certificate's, {@code PeerIdentity}),
 * one of which must match: exact, {@code prefix*}, {@code *suffix} or {@code *} for any;
 * default: none
 * @param listener the listener the request must have arrived on ({@link ListenerMatch}: its port,
 * and the hosts more specific listeners of that port take); default: any listener
 * @param grpc the gRPC service and method of the call ({@link GrpcMatch}), in place of {@code path};
 * default: none
 */
public record RouteMatch(@Example("/orders/**") String path, PathType pathType,
		@Example({ "GET", "POST" }) List<String> methods, Map<String, String> headers, Map<String, String> query,
		@Example("*.example.com") String host, Map<String, String> claims,
		@Example("spiffe://cluster.local/ns/shop/sa/web") List<String> principals, ListenerMatch listener,
		GrpcMatch grpc) {

	private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	public RouteMatch {
		// each field is checked on its own, so that one answer names every invalid field
		FieldErrors errors = new FieldErrors();
		pathType = pathType == null ? PathType.PATTERN : pathType;
		if (grpc == null) {
			errors.check(pathType::matcher, path, null);
		}
		else if (path != null) {
			errors.check(p -> {
				throw new IllegalArgumentException("path: " + p + " (expected: no path with grpc, which sets the path)");
			}, path, null);
		}
		methods = errors.check(RouteMatch::methods, methods, List.of());
		headers = errors.check(h -> regexes("headers", h, "a name"), headers, Map.of());
		query = errors.check(q -> regexes("query", q, "a name"), query, Map.of());
		host = errors.check(h -> h == null || h.isBlank() ? null : HostPattern.of("host", h).toString(), host, null);
		claims = errors.check(RouteMatch::claims, claims, Map.of());
		principals = errors.check(p -> p == null || p.isEmpty() ? List.of() : new PrincipalMatch(p).principals(),
				principals, List.of());
		errors.throwIfAny();
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	/** As the record prints itself, with the patterns of secret headers masked ({@link Masking}). */
	@Override
	public String toString() {
		return "RouteMatch[path=" + path + ", pathType=" + pathType + ", methods=" + methods + ", headers="
				+ Masking.headers(headers) + ", query=" + query + ", host=" + host + ", claims=" + claims + ", principals="
				+ principals + ", listener=" + listener + ", grpc=" + grpc + "]";
	}

	public static RouteMatch path(String path) {
		return new RouteMatch(path, null, null, null, null, null, null, null, null, null);
	}

	/** Calls of a gRPC service and method: {@code RouteMatch.grpc(GrpcMatch.exact("orders.v1.Orders", "Get"))}. */
	public static RouteMatch grpc(GrpcMatch grpc) {
		return new RouteMatch(null, null, null, null, null, null, null, null, null, grpc);
	}

	/** Paths read as {@code type}: {@code RouteMatch.path(PathType.PREFIX, "/orders")}. */
	public static RouteMatch path(PathType type, String path) {
		return new RouteMatch(path, type, null, null, null, null, null, null, null, null);
	}

	/** This match, taking only requests whose verified token has these claims. */
	public RouteMatch withClaims(Map<String, String> claims) {
		return new RouteMatch(path, pathType, methods, headers, query, host, claims, principals, listener, grpc);
	}

	/** This match, taking only requests whose verified client certificate has one of these principals. */
	public RouteMatch withPrincipals(List<String> principals) {
		return new RouteMatch(path, pathType, methods, headers, query, host, claims, principals, listener, grpc);
	}

	/** Does {@code path} (without query) match this route's path? */
	public boolean matchesPath(String path) {
		PathMatch paths = pathMatch();
		return paths.type().matcher(paths.path()).test(path);
	}

	/** The route's path condition: {@code path} read as {@code pathType}, or the one {@code grpc} sets. */
	public PathMatch pathMatch() {
		return grpc == null ? new PathMatch(pathType, path) : grpc.pathMatch();
	}

	private static List<String> methods(List<String> methods) {
		List<String> upper = methods == null ? List.of()
				: methods.stream().map(m -> m == null ? "" : m.trim().toUpperCase(Locale.ROOT)).toList();
		for (String method : upper) {
			if (!METHODS.contains(method)) {
				throw new IllegalArgumentException("methods: " + method + " (expected: one of " + METHODS + ")");
			}
		}
		return upper;
	}

	private static Map<String, String> claims(Map<String, String> claims) {
		Map<String, String> checked = regexes("claims", claims,
				"a claim name, or a path of names separated by dots, as realm.roles");
		checked.keySet().forEach(name -> ClaimPath.of("claims", name));
		return checked;
	}

	private static Map<String, String> regexes(String field, Map<String, String> regexes, String expectedName) {
		if (regexes == null || regexes.isEmpty()) {
			return Map.of();
		}
		regexes.forEach((name, regex) -> {
			if (name == null || name.isBlank() || PathType.isGatewayExpression(name)) {
				throw new IllegalArgumentException(field + ": " + name + " (expected: " + expectedName + ")");
			}
			if (regex == null) {
				throw new IllegalArgumentException(field + "." + name + ": null (expected: a regular expression)");
			}
			if (PathType.isGatewayExpression(regex)) {
				throw new IllegalArgumentException(field + "." + name + ": " + regex + " (expected: a regular expression, "
						+ "not #{...}, which Spring Cloud Gateway would evaluate as an expression)");
			}
			LinearRegex.compile(field + "." + name, regex);
		});
		return Collections.unmodifiableMap(new LinkedHashMap<>(regexes));
	}

}
