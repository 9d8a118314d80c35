package io.meshgate.policy.rollout;

import java.time.Duration;

/**
 * What a step of a rollout has seen so far, summed over every replica.
 *
 * @param elapsed how long the step has run
 * @param canary the canary's requests during the step
 * @param baseline the baseline's requests during the step
 * @param consecutiveCanaryFailures the canary's failed requests since its last success
 */
public record StepNumbers(Duration elapsed, BackendWindow canary, BackendWindow baseline,
		long consecutiveCanaryFailures) {

}
