package io.meshgate.policy.upstream.state;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import io.meshgate.policy.breaker.UpstreamBreaker;
import io.meshgate.policy.observe.PolicyView;
import io.meshgate.policy.upstream.UpstreamRuntime;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/** The breaker's state and rates, and the concurrency cap's use, in {@code /actuator/mesh}. */
public final class BreakerStateContributor implements UpstreamStateContributor {

	@Override
	public String name() {
		return "circuitBreaker";
	}

	@Override
	public Map<String, Object> upstreamState(UpstreamRuntime upstream) {
		UpstreamBreaker breaker = upstream.breaker();
		if (breaker == null) {
			return null;
		}
		CircuitBreaker circuitBreaker = breaker.circuitBreaker();
		CircuitBreaker.Metrics metrics = circuitBreaker.getMetrics();
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("state", circuitBreaker.getState().name());
		state.put("failureRate", metrics.getFailureRate());
		state.put("slowCallRate", metrics.getSlowCallRate());
		state.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
		state.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
		state.put("policy", PolicyView.of(breaker.policy()));
		Bulkhead bulkhead = breaker.bulkhead();
		if (bulkhead != null) {
			state.put("maxConcurrentRequests", bulkhead.getBulkheadConfig().getMaxConcurrentCalls());
			state.put("availableConcurrentRequests", bulkhead.getMetrics().getAvailableConcurrentCalls());
		}
		return state;
	}

}
