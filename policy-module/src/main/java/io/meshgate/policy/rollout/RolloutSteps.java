package io.meshgate.policy.rollout;

import java.util.List;

/**
 * The weights of a rollout's two backends, baseline first: at a step, the canary's share of the
 * step in whole weight units of {@link #scale} (100, or 10,000 when a step has a fraction such as
 * 0.5 %); withdrawn, weight 0. Sticky clients follow: the split hashes by weighted rendezvous,
 * so raising the canary's weight moves keys only to it, and weight 0 sends every key back to the
 * baseline.
 */
public final class RolloutSteps {

	private RolloutSteps() {
	}

	/** The total weight of the two backends. */
	public static int scale(RolloutPolicy policy) {
		return policy.steps().stream().allMatch(step -> step == Math.rint(step)) ? 100 : 10_000;
	}

	/** The share of {@code step} (1 for the first), in percent. */
	public static double share(RolloutPolicy policy, int step) {
		return policy.steps().get(step - 1);
	}

	/** Baseline's and canary's weight at {@code step} (1 for the first). */
	public static List<Integer> weights(RolloutPolicy policy, int step) {
		int scale = scale(policy);
		int canary = (int) Math.round(share(policy, step) * scale / 100);
		return List.of(scale - canary, canary);
	}

	/** Baseline's and canary's weight with the canary withdrawn (rolled back or aborted). */
	public static List<Integer> withdrawn(RolloutPolicy policy) {
		return List.of(scale(policy), 0);
	}

	/** Baseline's and canary's weight for {@code state}. */
	public static List<Integer> weights(RolloutPolicy policy, RolloutState state) {
		return state.phase().withdrawn() ? withdrawn(policy) : weights(policy, state.step());
	}

	/** Whether {@code step} is the last one (100 %). */
	public static boolean last(RolloutPolicy policy, int step) {
		return step >= policy.steps().size();
	}

}
