package io.meshgate.policy.observe;

import java.util.Map;

import io.meshgate.policy.binding.PolicyTrees;

/**
 * A policy record as the actuator shows it: every field present, defaults filled in as the
 * record holds them and {@code null} where nothing is set; durations and sizes as the
 * configuration writes them ({@code 5s}, {@code 64KB}), enums by name; secrets masked
 * ({@link Masking}). Derived from the record, so a field added to it shows without an edit here.
 */
public final class PolicyView {

	private PolicyView() {
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> of(Record policy) {
		return (Map<String, Object>) Masking.tree(PolicyTrees.full(policy));
	}

}
