package io.meshgate.policy.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.apikey.Consumer;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.security.jwt.JwtProvider;
import io.meshgate.policy.upstream.Upstream;

/**
 * {@code meshgate.upstreams}, {@code meshgate.routes}, {@code meshgate.jwt-providers},
 * {@code meshgate.consumers}, {@code meshgate.authorization-policies}, {@code meshgate.tcp-routes} and
 * {@code meshgate.tls-passthrough-routes} from the application's
 * configuration: the components of {@link MeshConfig}, one for one. Each element is validated as
 * it is bound; {@link #toConfig()} checks them across each other.
 */
@ConfigurationProperties("meshgate")
public record MeshProperties(List<Upstream> upstreams, List<Route> routes, List<JwtProvider> jwtProviders,
		List<Consumer> consumers, List<AuthorizationPolicy> authorizationPolicies, List<TcpRoute> tcpRoutes,
		List<TlsPassthroughRoute> tlsPassthroughRoutes) {

	public MeshConfig toConfig() {
		return new MeshConfig(upstreams, routes, jwtProviders, consumers, authorizationPolicies, tcpRoutes,
				tlsPassthroughRoutes);
	}

}
