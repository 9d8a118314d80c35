package io.meshgate.policy.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults the policy module needs from Spring Cloud Gateway, added at the lowest precedence so
 * that an application can still override them: the gateway's own routing filter is switched off,
 * because {@link MeshPolicyAutoConfiguration} registers its subclass, which sends calls to
 * upstreams with TLS through their own clients; its WebSocket routing filter is switched off for
 * {@code upstream.call.WebSocketProxyFilter}, which calls the upstream before it switches the
 * client; and the server never takes a client's address, scheme or host from forwarding headers itself ({@code server.forward-headers-strategy=none}),
 * which Spring Boot would otherwise switch on when it detects a cloud platform (Kubernetes): the
 * edge ({@code edge.ClientRequestFilter}) reads them, from trusted proxies only
 * ({@code meshgate.ingress.trusted-proxies}).
 */
public class MeshgateDefaults implements EnvironmentPostProcessor {

	static final String NETTY_ROUTING_ENABLED = "spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled";

	static final String WEBSOCKET_ROUTING_ENABLED =
			"spring.cloud.gateway.server.webflux.global-filter.websocket-routing.enabled";

	static final String FORWARD_HEADERS_STRATEGY = "server.forward-headers-strategy";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource("meshgate-defaults",
					Map.of(NETTY_ROUTING_ENABLED, "false", WEBSOCKET_ROUTING_ENABLED, "false",
							FORWARD_HEADERS_STRATEGY, "none")));
	}

}
