package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.List;

/**
 * A canary that moves itself: the canary's share goes up step by step while gates comparing it
 * with the baseline over the step hold, and back to 0 when one fails:
 * {@code rollout: {steps: [1, 5, 25, 50, 100], stepDuration: 5m, minRequests: 200}}.
 *
 * <p>Each gate is a one-sided statistical test, so that a canary identical to the baseline (an
 * A/A rollout) is rolled back with probability at most {@code falseRollbackRate} over the whole
 * rollout: every look at a step's numbers spends an equal part of that rate (Bonferroni over at
 * most {@link #looks()} looks); docs/design/rollout-gates.md states the tests.
 *
 * @param steps the canary's share at each step, in percent, increasing, the last 100; default
 * {@code [1, 5, 25, 50, 100]}
 * @param stepDuration the least time a step lasts; default 5m
 * @param minRequests the least number of canary requests a step sees before it is promoted;
 * default 200
 * @param checkInterval how often the gates look at the step's numbers, 1s-5m; default 10s
 * @param maxStepDuration a step not promoted by then pauses the rollout (too little canary
 * traffic, or a canary worse than the baseline but not provably so); default 3 × stepDuration
 * @param maxErrorShareIncrease how many percentage points the canary's error share (5xx, or failed
 * calls) may exceed the baseline's, 0-100; default 1
 * @param maxLatencyRatio how many times the baseline's p99 latency the canary's may be, at least
 * 1; default 1.5
 * @param consecutiveFailures this many failed canary requests in a row roll back at once, without
 * waiting for a test; default 0: off
 * @param falseRollbackRate the highest probability of rolling back a canary no worse than the
 * baseline, over the whole rollout, 0.0001-0.2; default 0.01
 * @param promoteToBaseline at 100 %, the canary becomes the baseline; default false: the rollout
 * ends with the canary taking all traffic and the route otherwise unchanged
 */
public record RolloutPolicy(List<Double> steps, Duration stepDuration, Integer minRequests, Duration checkInterval,
		Duration maxStepDuration, Double maxErrorShareIncrease, Double maxLatencyRatio, Integer consecutiveFailures,
		Double falseRollbackRate, Boolean promoteToBaseline) {

	public static final List<Double> DEFAULT_STEPS = List.of(1.0, 5.0, 25.0, 50.0, 100.0);

	public static final RolloutPolicy DEFAULT = new RolloutPolicy(null, null, null, null, null, null, null, null, null,
			null);

	public RolloutPolicy {
		steps = steps == null || steps.isEmpty() ? DEFAULT_STEPS : List.copyOf(steps);
		for (int i = 0; i < steps.size(); i++) {
			double step = steps.get(i);
			double before = i == 0 ? 0 : steps.get(i - 1);
			if (!(step > before && step <= 100)) {
				throw new IllegalArgumentException("steps[" + i + "]: " + step + " (expected: above "
						+ before + " and at most 100, the steps increasing)");
			}
		}
		if (steps.get(steps.size() - 1) != 100.0) {
			throw new IllegalArgumentException(
					"steps[" + (steps.size() - 1) + "]: " + steps.get(steps.size() - 1) + " (expected: 100, the last step)");
		}
		checkInterval = checkInterval == null ? Duration.ofSeconds(10) : checkInterval;
		if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0 || checkInterval.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new IllegalArgumentException("checkInterval: " + checkInterval + " (expected: 1s-5m)");
		}
		stepDuration = stepDuration == null ? Duration.ofMinutes(5) : stepDuration;
		if (stepDuration.compareTo(checkInterval) < 0 || stepDuration.compareTo(Duration.ofDays(7)) > 0) {
			throw new IllegalArgumentException(
					"stepDuration: " + stepDuration + " (expected: checkInterval " + checkInterval + " to 7d)");
		}
		maxStepDuration = maxStepDuration == null ? stepDuration.multipliedBy(3) : maxStepDuration;
		if (maxStepDuration.compareTo(stepDuration) < 0 || maxStepDuration.compareTo(Duration.ofDays(7)) > 0) {
			throw new IllegalArgumentException(
					"maxStepDuration: " + maxStepDuration + " (expected: stepDuration " + stepDuration + " to 7d)");
		}
		minRequests = minRequests == null ? 200 : minRequests;
		if (minRequests < 1) {
			throw new IllegalArgumentException("minRequests: " + minRequests + " (expected: >= 1)");
		}
		maxErrorShareIncrease = maxErrorShareIncrease == null ? 1.0 : maxErrorShareIncrease;
		if (!(maxErrorShareIncrease >= 0 && maxErrorShareIncrease <= 100)) {
			throw new IllegalArgumentException("maxErrorShareIncrease: " + maxErrorShareIncrease + " (expected: 0-100)");
		}
		maxLatencyRatio = maxLatencyRatio == null ? 1.5 : maxLatencyRatio;
		if (!(maxLatencyRatio >= 1 && maxLatencyRatio <= 1000)) {
			throw new IllegalArgumentException("maxLatencyRatio: " + maxLatencyRatio + " (expected: 1-1000)");
		}
		consecutiveFailures = consecutiveFailures == null ? 0 : consecutiveFailures;
		if (consecutiveFailures < 0) {
			throw new IllegalArgumentException("consecutiveFailures: " + consecutiveFailures + " (expected: >= 0, 0 for off)");
		}
		falseRollbackRate = falseRollbackRate == null ? 0.01 : falseRollbackRate;
		if (!(falseRollbackRate >= 0.0001 && falseRollbackRate <= 0.2)) {
			throw new IllegalArgumentException("falseRollbackRate: " + falseRollbackRate + " (expected: 0.0001-0.2)");
		}
		promoteToBaseline = promoteToBaseline != null && promoteToBaseline;
	}

	/** The steps whose gates are judged: every step but the last (100 %), where no baseline is left. */
	public int gatedSteps() {
		return steps.size() - 1;
	}

	/** The most looks a step can get before it is promoted or pauses the rollout. */
	public long looksPerStep() {
		long interval = checkInterval.toMillis();
		return (maxStepDuration.toMillis() + interval - 1) / interval;
	}

	/** The most looks of the whole rollout, over which {@code falseRollbackRate} is spent. */
	public long looks() {
		return Math.max(1, gatedSteps()) * looksPerStep();
	}

	/** The probability each look may spend on a false rollback, shared by its gates. */
	public double lookFalseRollbackRate() {
		return falseRollbackRate / looks();
	}

}
