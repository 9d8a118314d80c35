package io.meshgate.policy.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * Power of two choices (Envoy's LEAST_REQUEST): draw two distinct endpoints at random, in
 * proportion to their weights, and send the request to the one with fewer in-flight requests
 * per unit of weight. Cheap, no global scan, and it steers traffic away from slow endpoints
 * because their requests stay in flight longer. A retry draws the same way among the endpoints
 * it has not tried.
 */
final class LeastRequestPicker implements EndpointPicker {

	private final RandomGenerator random;

	private volatile Weights weights = new Weights(List.of(), new int[0], true);

	LeastRequestPicker(RandomGenerator random) {
		this.random = random;
	}

	@Override
	public UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request) {
		if (endpoints.size() == 1) {
			return endpoints.get(0);
		}
		Weights w = weights;
		if (w.endpoints != endpoints) {
			w = Weights.of(endpoints);
			weights = w;
		}
		return choose(w);
	}

	/** Retries are rare: the candidates and their weights are built for each, leaving the cache alone. */
	@Override
	public UpstreamEndpoint pickRetry(List<UpstreamEndpoint> endpoints, RequestData request, Set<String> tried) {
		List<UpstreamEndpoint> untried = new ArrayList<>(endpoints.size());
		for (UpstreamEndpoint endpoint : endpoints) {
			if (!tried.contains(endpoint.getInstanceId())) {
				untried.add(endpoint);
			}
		}
		List<UpstreamEndpoint> candidates = untried.isEmpty() ? endpoints : untried;
		return candidates.size() == 1 ? candidates.get(0) : choose(Weights.of(candidates));
	}

	/** The less loaded of two distinct endpoints drawn in proportion to weight; at least two endpoints. */
	private UpstreamEndpoint choose(Weights w) {
		int n = w.endpoints.size();
		int a = w.draw(random);
		int b = w.draw(random);
		for (int tries = 0; b == a && tries < 8; tries++) {
			b = w.draw(random);
		}
		if (b == a) {
			b = (a + 1) % n;
		}
		UpstreamEndpoint first = w.endpoints.get(a);
		UpstreamEndpoint second = w.endpoints.get(b);
		// first.inFlight / first.weight <= second.inFlight / second.weight, without division
		long firstLoad = (long) first.inFlight() * second.weight();
		long secondLoad = (long) second.inFlight() * first.weight();
		return firstLoad <= secondLoad ? first : second;
	}

	/** Cumulative weights for drawing an index in proportion to weight. */
	private record Weights(List<UpstreamEndpoint> endpoints, int[] cumulative, boolean uniform) {

		static Weights of(List<UpstreamEndpoint> endpoints) {
			int[] cumulative = new int[endpoints.size()];
			int sum = 0;
			boolean uniform = true;
			for (int i = 0; i < cumulative.length; i++) {
				int weight = endpoints.get(i).weight();
				uniform &= weight == endpoints.get(0).weight();
				sum += weight;
				cumulative[i] = sum;
			}
			return new Weights(endpoints, cumulative, uniform);
		}

		int draw(RandomGenerator random) {
			if (uniform) {
				return random.nextInt(cumulative.length);
			}
			int ticket = random.nextInt(cumulative[cumulative.length - 1]);
			int low = 0;
			int high = cumulative.length - 1;
			while (low < high) {
				int mid = (low + high) >>> 1;
				if (cumulative[mid] > ticket) {
					high = mid;
				}
				else {
					low = mid + 1;
				}
			}
			return low;
		}

	}

}
