package io.meshgate.policy.lb;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.upstream.UpstreamEndpoint;

/**
 * Weighted round robin with nginx's smooth algorithm, precomputed into a schedule so that the
 * request path is one atomic increment: weights 3:1 give exactly a, a, b, a, a, a, b, a over
 * eight requests, never three in a row for a when a fairer order exists.
 */
final class RoundRobinPicker implements EndpointPicker {

	private final AtomicLong next = new AtomicLong();

	private volatile Schedule schedule = new Schedule(List.of(), new int[0]);

	@Override
	public UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request) {
		Schedule current = schedule;
		if (current.endpoints != endpoints) {
			current = Schedule.of(endpoints);
			schedule = current;
		}
		int slot = (int) Math.floorMod(next.getAndIncrement(), (long) current.order.length);
		return endpoints.get(current.order[slot]);
	}

	private record Schedule(List<UpstreamEndpoint> endpoints, int[] order) {

		static Schedule of(List<UpstreamEndpoint> endpoints) {
			int n = endpoints.size();
			int[] weights = new int[n];
			int gcd = 0;
			for (int i = 0; i < n; i++) {
				weights[i] = endpoints.get(i).weight();
				gcd = gcd(gcd, weights[i]);
			}
			int total = 0;
			for (int i = 0; i < n; i++) {
				weights[i] /= gcd;
				total += weights[i];
			}
			int[] order = new int[total];
			int[] current = new int[n];
			for (int slot = 0; slot < total; slot++) {
				int best = 0;
				for (int i = 0; i < n; i++) {
					current[i] += weights[i];
					if (current[i] > current[best]) {
						best = i;
					}
				}
				current[best] -= total;
				order[slot] = best;
			}
			return new Schedule(endpoints, order);
		}

		private static int gcd(int a, int b) {
			return b == 0 ? a : gcd(b, a % b);
		}

	}

}
