package io.meshgate.policy.route;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.upstream.Upstream;

/**
 * The whole routing configuration: upstreams, the routes over them and the authorization
 * policies on those, checked across each other (unique names, every backend names an upstream,
 * every policy target names a route). Routes are tried in list order.
 */
public record MeshConfig(List<Upstream> upstreams, List<Route> routes,
		List<AuthorizationPolicy> authorizationPolicies) {

	public static final MeshConfig EMPTY = new MeshConfig(List.of(), List.of());

	public MeshConfig {
		upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
		routes = routes == null ? List.of() : List.copyOf(routes);
		authorizationPolicies = authorizationPolicies == null ? List.of() : List.copyOf(authorizationPolicies);
		Set<String> names = new HashSet<>();
		for (Upstream upstream : upstreams) {
			if (!names.add(upstream.name())) {
				throw new IllegalArgumentException(
						"upstreams[" + upstream.name() + "].name: " + upstream.name() + " (expected: unique)");
			}
		}
		Set<String> ids = new HashSet<>();
		for (Route route : routes) {
			if (!ids.add(route.id())) {
				throw new IllegalArgumentException("routes[" + route.id() + "].id: " + route.id() + " (expected: unique)");
			}
			for (int i = 0; i < route.backends().size(); i++) {
				requireUpstream(names, route.backends().get(i).upstream(),
						"routes[" + route.id() + "].backends[" + i + "].upstream");
			}
			for (int i = 0; i < route.mirrors().size(); i++) {
				requireUpstream(names, route.mirrors().get(i).upstream(),
						"routes[" + route.id() + "].mirrors[" + i + "].upstream");
			}
		}
		Set<String> policies = new HashSet<>();
		for (AuthorizationPolicy policy : authorizationPolicies) {
			String path = "authorizationPolicies[" + policy.name() + "]";
			if (!policies.add(policy.name())) {
				throw new IllegalArgumentException(path + ".name: " + policy.name() + " (expected: unique)");
			}
			for (int i = 0; i < policy.targets().routes().size(); i++) {
				String route = policy.targets().routes().get(i);
				if (!ids.contains(route)) {
					throw new IllegalArgumentException(path + ".targets.routes[" + i + "]: " + route
							+ " (expected: one of the routes " + ids.stream().sorted().toList() + ")");
				}
			}
		}
	}

	/** Upstreams and routes without authorization policies. */
	public MeshConfig(List<Upstream> upstreams, List<Route> routes) {
		this(upstreams, routes, null);
	}

	private static void requireUpstream(Set<String> names, String upstream, String path) {
		if (!names.contains(upstream)) {
			throw new IllegalArgumentException(
					path + ": " + upstream + " (expected: one of the upstreams " + names.stream().sorted().toList() + ")");
		}
	}

	/** This configuration with {@code other}'s upstreams, routes and policies added after its own. */
	public MeshConfig plus(MeshConfig other) {
		return new MeshConfig(concat(upstreams, other.upstreams), concat(routes, other.routes),
				concat(authorizationPolicies, other.authorizationPolicies));
	}

	private static <T> List<T> concat(List<T> first, List<T> second) {
		return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
	}

}
