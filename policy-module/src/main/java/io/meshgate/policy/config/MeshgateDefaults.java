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
 * upstreams with TLS through their own clients.
 */
public class MeshgateDefaults implements EnvironmentPostProcessor {

	static final String NETTY_ROUTING_ENABLED = "spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource("meshgate-defaults", Map.of(NETTY_ROUTING_ENABLED, "false")));
	}

}
