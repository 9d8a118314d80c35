package io.meshgate.policy.canary;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The backends of a split with their weights, ready for picking: cumulative weights for a
 * binary search instead of a scan per request.
 */
public record WeightedBackends(List<String> upstreams, List<Integer> weights) {

	public WeightedBackends {
		upstreams = List.copyOf(upstreams);
		weights = List.copyOf(weights);
		if (upstreams.isEmpty() || upstreams.size() != weights.size()) {
			throw new IllegalArgumentException("backends: " + upstreams + " (expected: one weight per backend)");
		}
		long sum = 0;
		for (int i = 0; i < weights.size(); i++) {
			if (weights.get(i) < 0) {
				throw new IllegalArgumentException(
						"backends[" + i + "].weight: " + weights.get(i) + " (expected: >= 0)");
			}
			sum += weights.get(i);
		}
		if (sum <= 0 || sum > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("backends: weights sum to " + sum + " (expected: 1-" + Integer.MAX_VALUE + ")");
		}
	}

	/**
	 * Parses {@code upstream:weight} items as written in gateway YAML
	 * ({@code Canary=orders-v1:90,orders-v2:10}).
	 */
	public static WeightedBackends parse(List<String> items) {
		if (items == null || items.isEmpty()) {
			throw new IllegalArgumentException("backends: [] (expected: upstream:weight, ...)");
		}
		List<String> upstreams = new java.util.ArrayList<>();
		List<Integer> weights = new java.util.ArrayList<>();
		for (String item : items) {
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
				throw new IllegalArgumentException("backends: " + item + " (expected: upstream:weight, an integer weight)");
			}
		}
		return new WeightedBackends(upstreams, weights);
	}

	public int totalWeight() {
		return weights.stream().mapToInt(Integer::intValue).sum();
	}

	/** The backend owning {@code ticket}, a number in [0, totalWeight). */
	public String backendAt(int ticket) {
		int passed = 0;
		for (int i = 0; i < weights.size(); i++) {
			passed += weights.get(i);
			if (ticket < passed) {
				return upstreams.get(i);
			}
		}
		throw new IllegalArgumentException("ticket: " + ticket + " (expected: 0-" + (passed - 1) + ")");
	}

	public String pick(RandomGenerator random) {
		return backendAt(random.nextInt(totalWeight()));
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < upstreams.size(); i++) {
			text.append(i == 0 ? "" : ",").append(upstreams.get(i)).append(':').append(weights.get(i));
		}
		return text.toString();
	}

}
