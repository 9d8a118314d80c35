package io.meshgate.gateway.observe;

import java.util.TreeMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * {@code upstreams} in {@code /actuator/health}: each upstream's endpoints and the state its
 * policies report, as details. Always UP: one bad upstream must not take the ingress out of its
 * load balancer, so upstream trouble is shown, never turned into the gateway's own status. It
 * is not part of the readiness or liveness groups.
 */
final class UpstreamsHealthIndicator implements HealthIndicator {

	private final UpstreamRegistry upstreams;

	private final MeshView view;

	UpstreamsHealthIndicator(UpstreamRegistry upstreams, MeshView view) {
		this.upstreams = upstreams;
		this.view = view;
	}

	@Override
	public Health health() {
		Map<String, Object> details = new TreeMap<>();
		for (UpstreamRuntime upstream : upstreams.all()) {
			details.put(upstream.name(), view.upstreamHealth(upstream));
		}
		return Health.up().withDetails(details).build();
	}

}
