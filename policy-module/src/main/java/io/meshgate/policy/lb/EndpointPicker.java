package io.meshgate.policy.lb;

import java.util.List;
import java.util.random.RandomGenerator;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.upstream.UpstreamEndpoint;

/**
 * Chooses one endpoint of an upstream for a request: the load-balancing policy proper. A picker
 * may cache structures derived from the endpoint list (a schedule, a hash ring); it recognises
 * the list by identity, which the endpoint sources keep stable until the list changes.
 */
public interface EndpointPicker {

	/**
	 * @param endpoints the upstream's current endpoints, never empty
	 * @param request the request being routed; {@code null} when the caller has none
	 */
	UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request);

	/** Whether {@link #pick} reads the request; when not, callers may pass {@code null}. */
	default boolean readsRequest() {
		return false;
	}

	static EndpointPicker of(LoadBalancerPolicy policy, RandomGenerator random) {
		return switch (policy.policy()) {
			case ROUND_ROBIN -> new RoundRobinPicker();
			case LEAST_REQUEST -> new LeastRequestPicker(random);
			case RING_HASH -> new RingHashPicker(policy.hashOn(), new RoundRobinPicker());
		};
	}

}
