package io.meshgate.policy.lb;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.schema.Example;

/**
 * How an upstream spreads requests over its endpoints.
 *
 * <ul>
 * <li>{@code ROUND_ROBIN} (default): smooth weighted round robin, exact shares.</li>
 * <li>{@code LEAST_REQUEST}: power of two choices on in-flight requests, divided by weight.</li>
 * <li>{@code RING_HASH}: consistent hash of {@code hashOn} ({@code header:x-user},
 * {@code cookie:session}, {@code client-address}, or a part of the verified identity:
 * {@code claim:sub}, {@code consumer}, {@code principal}, {@code request-principal});
 * requests without the key go round robin.</li>
 * </ul>
 */
public record LoadBalancerPolicy(Type policy, @Example("header:x-user") HashKey hashOn) {

	public enum Type {
		ROUND_ROBIN, LEAST_REQUEST, RING_HASH
	}

	public static final LoadBalancerPolicy DEFAULT = new LoadBalancerPolicy(Type.ROUND_ROBIN, null);

	public LoadBalancerPolicy {
		policy = policy == null ? Type.ROUND_ROBIN : policy;
		if (policy == Type.RING_HASH && hashOn == null) {
			throw new IllegalArgumentException(
					"hashOn: null (expected: " + HashKey.EXPECTED + " with RING_HASH)");
		}
		if (policy != Type.RING_HASH && hashOn != null) {
			throw new IllegalArgumentException("hashOn: " + hashOn + " (expected: only with policy RING_HASH)");
		}
	}

	public static LoadBalancerPolicy ringHash(String hashOn) {
		return new LoadBalancerPolicy(Type.RING_HASH, HashKey.of(hashOn));
	}

	public static LoadBalancerPolicy of(Type type) {
		return new LoadBalancerPolicy(type, null);
	}

}
