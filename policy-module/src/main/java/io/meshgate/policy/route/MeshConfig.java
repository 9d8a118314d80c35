package io.meshgate.policy.route;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.meshgate.policy.l4.L4ConfigChecks;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.security.apikey.Consumer;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.security.jwt.JwtProvider;
import io.meshgate.policy.upstream.Upstream;

/**
 * The whole configuration: upstreams, the routes over them (HTTP routes, and the L4 ones: TCP
 * routes and TLS passthrough routes), and the named objects routes refer
 * to (JWT providers, consumers) or that apply to them (authorization policies), checked across
 * each other (unique names, every reference names an existing object). Routes are tried in list order. Each component is a list of records with a
 * unique {@code name} (a route's is its {@code id}), which the admin API binds, stores, masks and
 * checks by its component name ({@code jwtProviders[idp].issuer}): a new kind of object is one
 * more component here.
 */
public record MeshConfig(List<Upstream> upstreams, List<Route> routes, List<JwtProvider> jwtProviders,
		List<Consumer> consumers, List<AuthorizationPolicy> authorizationPolicies, List<TcpRoute> tcpRoutes,
		List<TlsPassthroughRoute> tlsPassthroughRoutes) {

	public static final MeshConfig EMPTY = new MeshConfig(List.of(), List.of());

	public MeshConfig {
		upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
		routes = routes == null ? List.of() : List.copyOf(routes);
		jwtProviders = jwtProviders == null ? List.of() : List.copyOf(jwtProviders);
		consumers = consumers == null ? List.of() : List.copyOf(consumers);
		authorizationPolicies = authorizationPolicies == null ? List.of() : List.copyOf(authorizationPolicies);
		tcpRoutes = tcpRoutes == null ? List.of() : List.copyOf(tcpRoutes);
		tlsPassthroughRoutes = tlsPassthroughRoutes == null ? List.of() : List.copyOf(tlsPassthroughRoutes);
		Set<String> names = unique("upstreams", upstreams.stream().map(Upstream::name));
		Set<String> providers = unique("jwtProviders", jwtProviders.stream().map(JwtProvider::name));
		unique("consumers", consumers.stream().map(Consumer::name));
		unique("authorizationPolicies", authorizationPolicies.stream().map(AuthorizationPolicy::name));
		unique("tcpRoutes", tcpRoutes.stream().map(TcpRoute::name));
		unique("tlsPassthroughRoutes", tlsPassthroughRoutes.stream().map(TlsPassthroughRoute::name));
		Set<String> tcpUpstreams = L4ConfigChecks.check(upstreams, tcpRoutes, tlsPassthroughRoutes);
		Set<String> issuers = new HashSet<>();
		for (JwtProvider provider : jwtProviders) {
			if (!issuers.add(provider.issuer())) {
				throw new IllegalArgumentException("jwtProviders[" + provider.name() + "].issuer: " + provider.issuer()
						+ " (expected: unique, one provider per issuer)");
			}
		}
		Set<String> keys = new HashSet<>();
		for (Consumer consumer : consumers) {
			for (int i = 0; i < consumer.apiKeys().size(); i++) {
				if (!keys.add(consumer.apiKeys().get(i))) {
					throw new IllegalArgumentException("consumers[" + consumer.name() + "].apiKeys[" + i
							+ "]: a hash another consumer has (expected: each key belongs to one consumer)");
				}
			}
		}
		Set<String> ids = new HashSet<>();
		for (Route route : routes) {
			if (!ids.add(route.id())) {
				throw new IllegalArgumentException("routes[" + route.id() + "].id: " + route.id() + " (expected: unique)");
			}
			for (int i = 0; i < route.backends().size(); i++) {
				if (route.backends().get(i).upstream() != null) {
					String path = "routes[" + route.id() + "].backends[" + i + "].upstream";
					require(names, "upstreams", route.backends().get(i).upstream(), path);
					L4ConfigChecks.notTcp(tcpUpstreams, route.backends().get(i).upstream(), path);
				}
			}
			for (int i = 0; i < route.mirrors().size(); i++) {
				MirrorPolicy mirror = route.mirrors().get(i);
				require(names, "upstreams", mirror.upstream(), "routes[" + route.id() + "].mirrors[" + i + "].upstream");
				L4ConfigChecks.notTcp(tcpUpstreams, mirror.upstream(), "routes[" + route.id() + "].mirrors[" + i + "].upstream");
				if (mirror.compare() != null && mirror.compare().secondary() != null) {
					require(names, "upstreams", mirror.compare().secondary(),
							"routes[" + route.id() + "].mirrors[" + i + "].compare.secondary");
				}
			}
			if (route.authentication() != null && route.authentication().jwt() != null) {
				List<String> named = route.authentication().jwt().providers();
				for (int i = 0; i < named.size(); i++) {
					require(providers, "jwtProviders", named.get(i),
							"routes[" + route.id() + "].authentication.jwt.providers[" + i + "]");
				}
			}
		}
		for (AuthorizationPolicy policy : authorizationPolicies) {
			List<String> targets = policy.targets().routes();
			for (int i = 0; i < targets.size(); i++) {
				require(ids, "routes", targets.get(i),
						"authorizationPolicies[" + policy.name() + "].targets.routes[" + i + "]");
			}
		}
	}

	/** Upstreams and routes, and no other objects. */
	public MeshConfig(List<Upstream> upstreams, List<Route> routes) {
		this(upstreams, routes, List.of(), List.of(), List.of(), List.of(), List.of());
	}

	/** The HTTP side's objects, without L4 routes. */
	public MeshConfig(List<Upstream> upstreams, List<Route> routes, List<JwtProvider> jwtProviders,
			List<Consumer> consumers, List<AuthorizationPolicy> authorizationPolicies) {
		this(upstreams, routes, jwtProviders, consumers, authorizationPolicies, List.of(), List.of());
	}

	/** This configuration with {@code tcpRoutes} and {@code tlsPassthroughRoutes} in place of its L4 routes. */
	public MeshConfig withL4(List<TcpRoute> tcpRoutes, List<TlsPassthroughRoute> tlsPassthroughRoutes) {
		return new MeshConfig(upstreams, routes, jwtProviders, consumers, authorizationPolicies, tcpRoutes,
				tlsPassthroughRoutes);
	}

	private static Set<String> unique(String kind, Stream<String> names) {
		Set<String> seen = new HashSet<>();
		names.forEach(name -> {
			if (!seen.add(name)) {
				throw new IllegalArgumentException(kind + "[" + name + "].name: " + name + " (expected: unique)");
			}
		});
		return seen;
	}

	private static void require(Set<String> names, String kind, String name, String path) {
		if (!names.contains(name)) {
			throw new IllegalArgumentException(
					path + ": " + name + " (expected: one of the " + kind + " " + names.stream().sorted().toList() + ")");
		}
	}

	/** This configuration with {@code other}'s objects added after its own, kind by kind. */
	public MeshConfig plus(MeshConfig other) {
		return new MeshConfig(concat(upstreams, other.upstreams), concat(routes, other.routes),
				concat(jwtProviders, other.jwtProviders), concat(consumers, other.consumers),
				concat(authorizationPolicies, other.authorizationPolicies), concat(tcpRoutes, other.tcpRoutes),
				concat(tlsPassthroughRoutes, other.tlsPassthroughRoutes));
	}

	private static <T> List<T> concat(List<T> first, List<T> second) {
		return Stream.concat(first.stream(), second.stream()).toList();
	}

}
