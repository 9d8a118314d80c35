package io.meshgate.policy.route;

import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;

/**
 * A route's gRPC condition: the call's service and method, which gRPC sends as the request path
 * {@code /package.Service/Method} (Gateway API's {@code GRPCMethodMatch}):
 * {@code match: {grpc: {service: orders.v1.Orders, method: Get}}}. It is compiled into the
 * route's path condition ({@link #pathMatch()}), so it costs what a path match costs.
 *
 * @param service the fully qualified service, {@code orders.v1.Orders}; default any service
 * @param method the method, {@code Get}; default any method of the service. At least one of the two
 * @param type {@code EXACT} (default) or {@code REGEX}: RE2 regular expressions each name must
 * match wholly
 */
public record GrpcMatch(@Example("orders.v1.Orders") String service, @Example("Get") String method, GrpcMatchType type) {

	/** Gateway API's forms of a service and a method name. */
	private static final Pattern SERVICE = Pattern.compile("(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");

	private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

	/** What a name stands for where none is given: one path segment. */
	private static final String ANY = "[^/]+";

	public GrpcMatch {
		type = type == null ? GrpcMatchType.EXACT : type;
		service = service == null || service.isEmpty() ? null : service;
		method = method == null || method.isEmpty() ? null : method;
		if (service == null && method == null) {
			throw new IllegalArgumentException("grpc.service: null (expected: a service, a method or both)");
		}
		if (type == GrpcMatchType.EXACT) {
			if (service != null && (service.length() > 1024 || !SERVICE.matcher(service).matches())) {
				throw new IllegalArgumentException(
						"grpc.service: " + service + " (expected: a service name such as orders.v1.Orders)");
			}
			if (method != null && (method.length() > 1024 || !METHOD.matcher(method).matches())) {
				throw new IllegalArgumentException("grpc.method: " + method + " (expected: a method name such as Get)");
			}
		}
		else {
			if (service != null) {
				LinearRegex.compile("grpc.service", service);
			}
			if (method != null) {
				LinearRegex.compile("grpc.method", method);
			}
		}
	}

	public static GrpcMatch exact(String service, String method) {
		return new GrpcMatch(service, method, GrpcMatchType.EXACT);
	}

	public static GrpcMatch regex(String service, String method) {
		return new GrpcMatch(service, method, GrpcMatchType.REGEX);
	}

	/**
	 * The path condition this is: {@code EXACT /service/method}; a service alone, {@code PREFIX
	 * /service}; otherwise a whole-path regular expression, one segment for a name not given.
	 */
	public PathMatch pathMatch() {
		if (type == GrpcMatchType.EXACT && service != null) {
			return method == null ? new PathMatch(PathType.PREFIX, "/" + service)
					: new PathMatch(PathType.EXACT, "/" + service + "/" + method);
		}
		// here an exact name is a method (an identifier, nothing to quote) and the service is absent
		String services = service == null ? ANY : "(?:" + service + ")";
		String methods = method == null ? ANY : type == GrpcMatchType.EXACT ? method : "(?:" + method + ")";
		return new PathMatch(PathType.REGEX, "/" + services + "/" + methods);
	}

}
