package io.meshgate.policy.canary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import io.meshgate.policy.hash.Hashing;

/**
 * The backends of a split with their weights, and the two ways of choosing one.
 *
 * <p>Without a key, a weighted random draw. With a key (sticky canary), weighted rendezvous
 * hashing: every backend scores {@code weight / -ln(u)}, {@code u} a uniform hash of key and
 * backend, and the highest score wins. A backend wins with probability weight / sum, the same
 * key wins the same backend on every replica without shared state, and raising one backend's
 * weight only raises its own scores: keys only ever move <em>to</em> it (monotone), unlike
 * cumulative ranges, which shift every key behind the changed backend.
 */
public final class WeightedBackends {

	/**
	 * How a backend answered by the gateway with a status is named: {@code status:500}; never an
	 * upstream's name, which has no colon.
	 */
	public static final String STATUS_PREFIX = "status:";

	private final List<String> upstreams;

	private final int[] weights;

	private final long[] upstreamHashes;

	private final int totalWeight;

	public WeightedBackends(List<String> upstreams, List<Integer> weights) {
		if (upstreams.isEmpty() || upstreams.size() != weights.size()) {
			throw new IllegalArgumentException("backends: " + upstreams + " (expected: one weight per backend)");
		}
		this.upstreams = List.copyOf(upstreams);
		this.weights = new int[weights.size()];
		this.upstreamHashes = new long[weights.size()];
		long sum = 0;
		for (int i = 0; i < this.weights.length; i++) {
			int weight = weights.get(i);
			if (weight < 0) {
				throw new IllegalArgumentException("backends[" + i + "].weight: " + weight + " (expected: >= 0)");
			}
			this.weights[i] = weight;
			this.upstreamHashes[i] = Hashing.hash64(this.upstreams.get(i));
			sum += weight;
		}
		if (sum <= 0 || sum > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"backends: weights sum to " + sum + " (expected: 1-" + Integer.MAX_VALUE + ")");
		}
		this.totalWeight = (int) sum;
	}

	/**
	 * Parses {@code upstream:weight} items as written in gateway YAML, separated by commas or
	 * spaces ({@code orders-v1:90,orders-v2:10} or {@code orders-v1:90 orders-v2:10}).
	 */
	public static WeightedBackends parse(List<String> items) {
		List<String> split = items == null ? List.of()
				: items.stream().flatMap(item -> Arrays.stream(item.trim().split("[\\s,]+"))).filter(s -> !s.isEmpty()).toList();
		if (split.isEmpty()) {
			throw new IllegalArgumentException("backends: [] (expected: upstream:weight, ...)");
		}
		List<String> upstreams = new ArrayList<>();
		List<Integer> weights = new ArrayList<>();
		for (String item : split) {
			String text = item == null ? "" : item.trim();
			int colon = text.lastIndexOf(':');
			if (colon <= 0) {
				throw new IllegalArgumentException("backends: " + item + " (expected: upstream:weight)");
			}
			upstreams.add(text.substring(0, colon).trim());
			try {
				weights.add(Integer.parseInt(text.substring(colon + 1).trim()));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						"backends: " + item + " (expected: upstream:weight, an integer weight)");
			}
		}
		return new WeightedBackends(upstreams, weights);
	}

	/** Parses {@code upstream:weight} items separated by commas or spaces; how binding converts a string. */
	public static WeightedBackends of(String text) {
		return parse(text == null ? null : List.of(text));
	}

	public List<String> upstreams() {
		return upstreams;
	}

	public boolean contains(String upstream) {
		return upstreams.contains(upstream);
	}

	/** Whether an override may choose {@code upstream}: one of the backends, with weight > 0 unless {@code zeroWeight}. */
	public boolean reachableByOverride(String upstream, boolean zeroWeight) {
		int index = upstreams.indexOf(upstream);
		return index >= 0 && (zeroWeight || weights[index] > 0);
	}

	/** A weighted random draw. */
	public String pick(RandomGenerator random) {
		int ticket = random.nextInt(totalWeight);
		for (int i = 0; i < weights.length; i++) {
			ticket -= weights[i];
			if (ticket < 0) {
				return upstreams.get(i);
			}
		}
		throw new IllegalStateException("weights changed under a draw");
	}

	/** The backend for a sticky key: weighted rendezvous hashing. */
	public String pick(String key) {
		long keyHash = Hashing.hash64(key);
		int best = -1;
		double bestScore = -1;
		for (int i = 0; i < weights.length; i++) {
			if (weights[i] == 0) {
				continue;
			}
			long hash = Hashing.mix(keyHash ^ upstreamHashes[i]);
			// u in (0, 1), never 0 or 1, so -ln(u) is finite and positive
			double u = ((hash >>> 11) + 0.5) * 0x1.0p-53;
			double score = weights[i] / -Math.log(u);
			if (score > bestScore) {
				bestScore = score;
				best = i;
			}
		}
		return upstreams.get(best);
	}

	/** The status a backend named {@code status:500} answers with; null for an upstream's name. */
	public static Integer statusOf(String backend) {
		if (!backend.startsWith(STATUS_PREFIX)) {
			return null;
		}
		try {
			int status = Integer.parseInt(backend, STATUS_PREFIX.length(), backend.length(), 10);
			return status >= 500 && status <= 599 ? status : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof WeightedBackends that && upstreams.equals(that.upstreams)
				&& Arrays.equals(weights, that.weights);
	}

	@Override
	public int hashCode() {
		return 31 * upstreams.hashCode() + Arrays.hashCode(weights);
	}

	/** {@code orders-v1:90,orders-v2:10}, the form {@link #of(String)} parses. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < upstreams.size(); i++) {
			text.append(i == 0 ? "" : ",").append(upstreams.get(i)).append(':').append(weights[i]);
		}
		return text.toString();
	}

}
