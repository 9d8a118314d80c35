package io.meshgate.policy.lb;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import org.springframework.cloud.client.loadbalancer.RequestData;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.hash.Hashing;
import io.meshgate.policy.security.Identity;

/**
 * Consistent hashing on a ring (Envoy's RING_HASH, Ketama's layout). Each endpoint owns points
 * on a 64-bit ring in proportion to its weight; a request goes to the owner of the first point
 * at or after the hash of its key. Points are derived from the endpoint's {@code host:port}
 * only, so every replica builds the same ring, and adding one endpoint to N moves only the keys
 * that fall into its new points, about 1/(N+1) of them. Requests without the key go round robin.
 * A retry walks on along the ring to the first point of an endpoint it has not tried.
 */
final class RingHashPicker implements EndpointPicker {

	/** Ketama's points per endpoint at weight 1: keeps each share within a few percent. */
	static final int POINTS_PER_WEIGHT = 160;

	/** Upper bound on the ring, so large weights on many endpoints stay cheap to build. */
	static final int MAX_POINTS = 1 << 17;

	private final HashKey hashOn;

	private final EndpointPicker withoutKey;

	private volatile Ring ring = new Ring(List.of(), new long[0], new int[0]);

	RingHashPicker(HashKey hashOn, EndpointPicker withoutKey) {
		this.hashOn = hashOn;
		this.withoutKey = withoutKey;
	}

	@Override
	public boolean readsRequest() {
		return true;
	}

	@Override
	public UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, RequestData request) {
		String key = key(request);
		return key == null ? withoutKey.pick(endpoints, request)
				: endpoints.get(ring(endpoints).owner(Hashing.hash64(key), null));
	}

	@Override
	public UpstreamEndpoint pickRetry(List<UpstreamEndpoint> endpoints, RequestData request, Set<String> tried) {
		String key = key(request);
		if (key == null) {
			return withoutKey.pickRetry(endpoints, request, tried);
		}
		Ring current = ring(endpoints);
		int owner = current.owner(Hashing.hash64(key), index -> !tried.contains(endpoints.get(index).getInstanceId()));
		return endpoints.get(owner);
	}

	private String key(RequestData request) {
		return request == null ? null
				: hashOn.valueIn(request.getHeaders(), request.getCookies(), clientAddress(request), identity(request));
	}

	private Ring ring(List<UpstreamEndpoint> endpoints) {
		Ring current = ring;
		if (current.endpoints != endpoints) {
			current = Ring.of(endpoints);
			ring = current;
		}
		return current;
	}

	private static InetSocketAddress clientAddress(RequestData request) {
		Object address = request.getAttributes() == null ? null
				: request.getAttributes().get(ExchangeAttributes.CLIENT_ADDRESS);
		return address instanceof InetSocketAddress socketAddress ? socketAddress : null;
	}

	/** The identity the edge and the route's authentication verified; anonymous when none. */
	private static Identity identity(RequestData request) {
		Object identity = request.getAttributes() == null ? null
				: request.getAttributes().get(ExchangeAttributes.IDENTITY);
		return identity instanceof Identity verified ? verified : Identity.ANONYMOUS;
	}

	private record Ring(List<UpstreamEndpoint> endpoints, long[] points, int[] owners) {

		static Ring of(List<UpstreamEndpoint> endpoints) {
			int totalWeight = endpoints.stream().mapToInt(UpstreamEndpoint::weight).sum();
			int perWeight = Math.max(1, Math.min(POINTS_PER_WEIGHT, MAX_POINTS / totalWeight));
			long[][] entries = new long[totalWeight * perWeight][];
			int next = 0;
			for (int owner = 0; owner < endpoints.size(); owner++) {
				UpstreamEndpoint endpoint = endpoints.get(owner);
				for (int i = 0; i < endpoint.weight() * perWeight; i++) {
					entries[next++] = new long[] { Hashing.hash64(endpoint.address() + "-" + i), owner };
				}
			}
			Arrays.sort(entries, (x, y) -> Long.compareUnsigned(x[0], y[0]));
			long[] points = new long[entries.length];
			int[] owners = new int[entries.length];
			for (int i = 0; i < entries.length; i++) {
				points[i] = entries[i][0];
				owners[i] = (int) entries[i][1];
			}
			return new Ring(endpoints, points, owners);
		}

		/**
		 * The owner of the first point at or after {@code hash}; with {@code accepted}, the first
		 * such owner it accepts, or that first owner when it accepts none.
		 */
		int owner(long hash, IntPredicate accepted) {
			int low = 0;
			int high = points.length;
			while (low < high) {
				int mid = (low + high) >>> 1;
				if (Long.compareUnsigned(points[mid], hash) < 0) {
					low = mid + 1;
				}
				else {
					high = mid;
				}
			}
			int first = low == points.length ? 0 : low;
			if (accepted != null) {
				for (int i = 0; i < points.length; i++) {
					int owner = owners[(first + i) % points.length];
					if (accepted.test(owner)) {
						return owner;
					}
				}
			}
			return owners[first];
		}

	}

}
