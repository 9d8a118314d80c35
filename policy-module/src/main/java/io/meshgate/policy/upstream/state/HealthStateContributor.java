package io.meshgate.policy.upstream.state;

import java.util.Map;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.observe.PolicyView;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/** The active health check's policy and each endpoint's verdict in {@code /actuator/mesh}. */
public final class HealthStateContributor implements UpstreamStateContributor {

	@Override
	public String name() {
		return "healthCheck";
	}

	@Override
	public Map<String, Object> upstreamState(UpstreamRuntime upstream) {
		return upstream.health() == null ? null : Map.of("policy", PolicyView.of(upstream.health().policy()));
	}

	@Override
	public Map<String, Object> endpointState(UpstreamRuntime upstream, UpstreamEndpoint endpoint) {
		return upstream.health() == null ? null
				: Map.of("healthy", endpoint.health().checkedHealthy());
	}

}
