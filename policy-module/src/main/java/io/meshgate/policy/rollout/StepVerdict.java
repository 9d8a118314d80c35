package io.meshgate.policy.rollout;

/**
 * What the gates decided at one look at a step, and the numbers they decided on (recorded with
 * the decision, so that a rollback says what caused it).
 *
 * @param outcome what happens to the rollout
 * @param reason why, in a sentence Meshgate writes (never request data)
 * @param errors the error-share gate's numbers
 * @param latency the p99 latency gate's numbers; null while the baseline has too few requests
 */
public record StepVerdict(Outcome outcome, String reason, ErrorGate errors, LatencyGate latency) {

	public enum Outcome {
		/** Keep the step's weights and look again. */
		WAIT,
		/** The step is done: on to the next one. */
		PROMOTE,
		/** A gate failed: the canary goes back to weight 0. */
		ROLL_BACK,
		/** The step ran out of time without being promoted: hold the weights until an operator acts. */
		PAUSE
	}

	/**
	 * @param canaryShare the canary's error share
	 * @param baselineShare the baseline's error share
	 * @param increaseLowerBound what the canary's share exceeds the baseline's by at least (the
	 * one-sided bound of the look)
	 * @param limit the increase allowed ({@code maxErrorShareIncrease} as a share)
	 */
	public record ErrorGate(double canaryShare, double baselineShare, double increaseLowerBound, double limit) {

		boolean failed() {
			return increaseLowerBound > limit;
		}

		boolean withinLimit() {
			return canaryShare <= baselineShare + limit;
		}

	}

	/**
	 * @param canaryP99Micros the canary's p99 latency (a bucket's upper edge)
	 * @param baselineP99Micros the baseline's p99 latency (a bucket's upper edge)
	 * @param thresholdMicros {@code maxLatencyRatio} times a bound the baseline's true p99 is below
	 * @param canaryAbove the canary's requests certainly slower than the threshold
	 * @param probability how likely that many or more are for a canary whose p99 is within the gate
	 */
	public record LatencyGate(double canaryP99Micros, double baselineP99Micros, double thresholdMicros,
			long canaryAbove, double probability) {

	}

}
