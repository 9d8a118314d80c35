package io.meshgate.policy.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.upstream.Upstream;

/**
 * {@code meshgate.upstreams}, {@code meshgate.routes} and {@code meshgate.authorization-policies}
 * from the application's configuration. Each element is validated as it is bound;
 * {@link #toConfig()} checks them across each other.
 */
@ConfigurationProperties("meshgate")
public record MeshProperties(List<Upstream> upstreams, List<Route> routes,
		List<AuthorizationPolicy> authorizationPolicies) {

	public MeshProperties {
		upstreams = upstreams == null ? List.of() : upstreams;
		routes = routes == null ? List.of() : routes;
		authorizationPolicies = authorizationPolicies == null ? List.of() : authorizationPolicies;
	}

	public MeshConfig toConfig() {
		return new MeshConfig(upstreams, routes, authorizationPolicies);
	}

}
