package io.meshgate.gateway.observe;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;

/**
 * {@code routing} in {@code /actuator/health}, part of readiness: the routing configuration in
 * force. Meshgate applies its configuration before it starts serving, and a failed change keeps
 * the previous one, so this is UP once the application runs; its details say what it routes.
 */
final class RoutingHealthIndicator implements HealthIndicator {

	private final MeshRouting routing;

	RoutingHealthIndicator(MeshRouting routing) {
		this.routing = routing;
	}

	@Override
	public Health health() {
		MeshConfig config = routing.current();
		return Health.up()
			.withDetail("routes", config.routes().size())
			.withDetail("upstreams", config.upstreams().size())
			.build();
	}

}
