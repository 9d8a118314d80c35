package io.meshgate.policy.l4;

import io.meshgate.policy.schema.Example;

/**
 * One weighted destination of an L4 route: {@code {upstream: postgres, weight: 3}}, an upstream
 * of {@code protocol: TCP}. A connection goes to one backend for its whole life. Weights are
 * relative; a weight of 0 keeps the backend configured but sends it no connection (Gateway API's
 * {@code backendRefs} of a TCPRoute or TLSRoute map onto this one for one).
 *
 * @param upstream the name of a TCP upstream; required
 * @param weight relative share of new connections, >= 0; default 1
 */
public record L4Backend(@Example("postgres") String upstream, Integer weight) {

	public static final int DEFAULT_WEIGHT = 1;

	public L4Backend {
		if (upstream == null || upstream.isBlank()) {
			throw new IllegalArgumentException("upstream: " + upstream + " (expected: the name of a TCP upstream)");
		}
		weight = weight == null ? DEFAULT_WEIGHT : weight;
		if (weight < 0) {
			throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
		}
	}

	public static L4Backend of(String upstream, int weight) {
		return new L4Backend(upstream, weight);
	}

}
