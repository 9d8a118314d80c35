package io.meshgate.policy.lb;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * Weighted round robin with nginx's smooth algorithm, precomputed into a schedule so that the
 * request path is one atomic increment: weights 3:1 give exactly a, a, b, a, a, a, b, a over
 * eight requests, never three in a row for a when a fairer order exists. Retries walk the same
 * schedule with a cursor of their own, so first tries keep their exact shares whatever fails.
 */
final class RoundRobinPicker implements EndpointPicker {

	private final AtomicLong next = new AtomicLong();

	private final AtomicLong nextRetry = new AtomicLong();

	private volatile Schedule schedule = new Schedule(List.of(), new int[0]);

	@Override
	public UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request) {
		Schedule current = schedule(endpoints);
		return endpoints.get(current.order[slot(next, current)]);
	}

	/**
	 * The next of the schedule's slots whose endpoint was not tried, counted by the retry cursor,
	 * so that retries share out by weight among the endpoints left; the cursor's slot when every
	 * endpoint was tried. A walk over the schedule: retries are few.
	 */
	@Override
	public UpstreamEndpoint pickRetry(List<UpstreamEndpoint> endpoints, RequestData request, Set<String> tried) {
		Schedule current = schedule(endpoints);
		int untried = 0;
		for (int index : current.order) {
			if (!tried.contains(endpoints.get(index).getInstanceId())) {
				untried++;
			}
		}
		if (untried == 0) {
			return endpoints.get(current.order[slot(nextRetry, current)]);
		}
		long skip = Math.floorMod(nextRetry.getAndIncrement(), (long) untried);
		for (int index : current.order) {
			if (!tried.contains(endpoints.get(index).getInstanceId()) && skip-- == 0) {
				return endpoints.get(index);
			}
		}
		throw new IllegalStateException("unreachable: " + untried + " untried slots");
	}

	private Schedule schedule(List<UpstreamEndpoint> endpoints) {
		Schedule current = schedule;
		if (current.endpoints != endpoints) {
			current = Schedule.of(endpoints);
			schedule = current;
		}
		return current;
	}

	private static int slot(AtomicLong cursor, Schedule schedule) {
		return (int) Math.floorMod(cursor.getAndIncrement(), (long) schedule.order.length);
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
