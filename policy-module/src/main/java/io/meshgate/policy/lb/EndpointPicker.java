package io.meshgate.policy.lb;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * Chooses one endpoint of an upstream for a request: the load-balancing policy proper. A picker
 * may cache structures derived from the endpoint list (a schedule, a hash ring); it recognises
 * the list by identity, which the endpoint sources keep stable until the list changes.
 *
 * <p>A request's first try and its retries choose apart, as Envoy keeps retry host selection
 * apart from the load balancer's schedule: {@link #pick} follows the policy's schedule,
 * {@link #pickRetry} never moves it. Otherwise each retry would take the next slot of a round
 * robin, and with one failing endpoint of two every first try would land on the failing one.
 */
public interface EndpointPicker {

	/**
	 * A first try's endpoint.
	 * @param endpoints the upstream's current endpoints, never empty
	 * @param request the request being routed; {@code null} when the caller has none
	 */
	UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request);

	/**
	 * A retry's endpoint: never one of {@code tried} while {@code endpoints} has another, and
	 * chosen without moving the schedule that first tries follow.
	 * @param tried the instance ids ({@code host:port}) of the endpoints this request already tried
	 */
	UpstreamEndpoint pickRetry(List<UpstreamEndpoint> endpoints, RequestData request, Set<String> tried);

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
