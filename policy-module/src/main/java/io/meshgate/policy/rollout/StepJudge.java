package io.meshgate.policy.rollout;

import io.meshgate.policy.rollout.StepVerdict.ErrorGate;
import io.meshgate.policy.rollout.StepVerdict.LatencyGate;
import io.meshgate.policy.rollout.StepVerdict.Outcome;

/**
 * Judges one look at a rollout step: roll back when a gate proves the canary worse than the
 * baseline allows, promote when the step has lasted and seen enough and the canary's numbers are
 * within the gates, pause when the step ran out of time, else wait.
 *
 * <p>Each look may spend {@link RolloutPolicy#lookFalseRollbackRate()} on a false rollback: half
 * on the error-share test, half on the latency test (a quarter on the baseline's p99 bound, a
 * quarter on the canary's slow requests). Both tests are one-sided: a canary no worse than the
 * gates allow fails one with at most that probability, so by Bonferroni a whole A/A rollout rolls
 * back with at most {@code falseRollbackRate}.
 */
public final class StepJudge {

	private static final double QUANTILE = 0.99;

	private StepJudge() {
	}

	public static StepVerdict judge(RolloutPolicy policy, StepNumbers numbers) {
		BackendWindow canary = numbers.canary();
		BackendWindow baseline = numbers.baseline();
		double alpha = policy.lookFalseRollbackRate();
		ErrorGate errors = errorGate(policy, canary, baseline, alpha / 2);
		LatencyGate latency = latencyGate(policy, canary, baseline, alpha / 4);
		if (policy.consecutiveFailures() > 0 && numbers.consecutiveCanaryFailures() >= policy.consecutiveFailures()) {
			return new StepVerdict(Outcome.ROLL_BACK, numbers.consecutiveCanaryFailures()
					+ " canary requests failed in a row (limit " + policy.consecutiveFailures() + ")", errors, latency);
		}
		if (errors.failed()) {
			return new StepVerdict(Outcome.ROLL_BACK, String.format(
					"canary error share %.3f%% exceeds the baseline's %.3f%% by at least %.3f points (limit %.3f)",
					100 * errors.canaryShare(), 100 * errors.baselineShare(), 100 * errors.increaseLowerBound(),
					100 * errors.limit()), errors, latency);
		}
		if (latency != null && latency.probability() <= alpha / 4) {
			return new StepVerdict(Outcome.ROLL_BACK, String.format(
					"%d canary requests slower than %.1f ms, %.2f × a bound on the baseline's p99: more than 1%% of %d "
							+ "(p = %.2g)",
					latency.canaryAbove(), latency.thresholdMicros() / 1000, policy.maxLatencyRatio(), canary.requests(),
					latency.probability()), errors, latency);
		}
		boolean lasted = numbers.elapsed().compareTo(policy.stepDuration()) >= 0;
		boolean enough = canary.requests() >= policy.minRequests();
		boolean latencyWithin = latency == null
				|| latency.canaryP99Micros() <= policy.maxLatencyRatio() * latency.baselineP99Micros();
		if (lasted && enough && errors.withinLimit() && latencyWithin) {
			return new StepVerdict(Outcome.PROMOTE, "the step lasted, saw " + canary.requests()
					+ " canary requests, and the canary is within every gate", errors, latency);
		}
		if (numbers.elapsed().compareTo(policy.maxStepDuration()) >= 0) {
			String why = !enough ? "only " + canary.requests() + " canary requests (" + policy.minRequests() + " needed)"
					: !errors.withinLimit() ? "the canary's error share is above the gate, though not provably"
							: "the canary's p99 latency is above the gate, though not provably";
			return new StepVerdict(Outcome.PAUSE, "the step ran out of time: " + why, errors, latency);
		}
		return new StepVerdict(Outcome.WAIT, "the step goes on", errors, latency);
	}

	private static ErrorGate errorGate(RolloutPolicy policy, BackendWindow canary, BackendWindow baseline,
			double alpha) {
		double limit = policy.maxErrorShareIncrease() / 100;
		if (canary.requests() == 0 || baseline.requests() == 0) {
			return new ErrorGate(canary.errorShare(), baseline.errorShare(), Double.NEGATIVE_INFINITY, limit);
		}
		double bound = Bounds.differenceLowerBound(canary.errors(), canary.requests(), baseline.errors(),
				baseline.requests(), alpha);
		return new ErrorGate(canary.errorShare(), baseline.errorShare(), bound, limit);
	}

	/**
	 * Null while either side has too few requests: the baseline for a bound on its p99, or the
	 * canary for a p99 of its own.
	 */
	private static LatencyGate latencyGate(RolloutPolicy policy, BackendWindow canary, BackendWindow baseline,
			double alpha) {
		LatencyHistogram base = baseline.latencies();
		LatencyHistogram mine = canary.latencies();
		long rank = Bounds.upperRankOfQuantile(base.total(), QUANTILE, alpha);
		if (rank > base.total() || mine.total() == 0) {
			return null;
		}
		double threshold = policy.maxLatencyRatio() * base.upperOfRank(rank);
		long above = Double.isInfinite(threshold) ? 0 : mine.countAbove(threshold);
		double probability = Bounds.upperTail(mine.total(), 1 - QUANTILE, above);
		return new LatencyGate(mine.upperOfRank(p99Rank(mine.total())), base.upperOfRank(p99Rank(base.total())), threshold,
				above, probability);
	}

	private static long p99Rank(long n) {
		return Math.max(1, (long) Math.ceil(QUANTILE * n));
	}

}
