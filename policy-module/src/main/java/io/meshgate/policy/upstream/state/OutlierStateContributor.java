package io.meshgate.policy.upstream.state;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.meshgate.policy.endpoint.EndpointHealth;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.observe.PolicyView;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/** Each endpoint's ejection in {@code /actuator/mesh}: ejected or not, until when, how often. */
public final class OutlierStateContributor implements UpstreamStateContributor {

	@Override
	public String name() {
		return "outlierDetection";
	}

	@Override
	public Map<String, Object> upstreamState(UpstreamRuntime upstream) {
		if (upstream.outliers() == null) {
			return null;
		}
		long now = System.nanoTime();
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("policy", PolicyView.of(upstream.outliers().policy()));
		state.put("ejectedEndpoints", upstream.allEndpoints().stream().filter(e -> e.health().ejected(now)).count());
		return state;
	}

	@Override
	public Map<String, Object> endpointState(UpstreamRuntime upstream, UpstreamEndpoint endpoint) {
		if (upstream.outliers() == null) {
			return null;
		}
		EndpointHealth health = endpoint.health();
		long now = System.nanoTime();
		Map<String, Object> state = new LinkedHashMap<>();
		boolean ejected = health.ejected(now);
		state.put("ejected", ejected);
		state.put("ejectedUntil",
				ejected ? Instant.now().plus(Duration.ofNanos(health.ejectedUntilNanos() - now)).toString() : null);
		state.put("ejections", health.ejections());
		return state;
	}

}
