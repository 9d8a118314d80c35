package io.meshgate.policy.route;

import io.meshgate.policy.schema.Example;

/**
 * One weighted destination of a route: {@code {upstream: orders-v2, weight: 10}}. Weights are
 * relative; a weight of 0 keeps the backend configured but sends it nothing.
 */
public record Backend(@Example("orders-v1") String upstream, Integer weight) {

	public static final int DEFAULT_WEIGHT = 1;

	public Backend {
		if (upstream == null || upstream.isBlank()) {
			throw new IllegalArgumentException("upstream: " + upstream + " (expected: the name of an upstream)");
		}
		weight = weight == null ? DEFAULT_WEIGHT : weight;
		if (weight < 0) {
			throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
		}
	}

	public static Backend of(String upstream, int weight) {
		return new Backend(upstream, weight);
	}

}
