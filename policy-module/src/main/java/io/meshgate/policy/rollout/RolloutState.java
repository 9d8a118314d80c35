package io.meshgate.policy.rollout;

import java.time.Instant;
import java.util.Objects;

import io.meshgate.policy.schema.Example;

/**
 * Where a route's rollout stands, written by Meshgate's rollout decider (and by the admin API's
 * pause, resume, promote and abort) as part of the route, so that every change of it is a
 * version in the history and a restart resumes the step where it was:
 * {@code rolloutState: {canary: orders-v2, step: 2, stepStarted: 2026-12-06T19:30:00Z, phase: RUNNING}}.
 *
 * @param canary the upstream this rollout moves; a route whose canary backend names another
 * upstream (a new version) starts a new rollout at step 1
 * @param step the step in force, 1 for the first of {@code canary.rollout.steps}
 * @param stepStarted when the step began (or was resumed); its duration counts from here
 * @param phase what the decider does with the rollout; default RUNNING
 * @param reason the last decision, in a sentence Meshgate writes; default none
 */
public record RolloutState(@Example("orders-v2") String canary, @Example("1") Integer step,
		@Example("2026-12-06T19:30:00Z") Instant stepStarted, Phase phase, String reason) {

	public enum Phase {
		/** The decider looks at the step's numbers every {@code checkInterval}. */
		RUNNING,
		/** Weights held until an operator resumes, promotes or aborts. */
		PAUSED,
		/** A gate failed: the canary has weight 0. */
		ROLLED_BACK,
		/** An operator stopped the rollout: the canary has weight 0. */
		ABORTED,
		/** The canary reached the last step (100 %). */
		DONE;

		/** Whether the canary has weight 0 in this phase. */
		public boolean withdrawn() {
			return this == ROLLED_BACK || this == ABORTED;
		}

	}

	public RolloutState {
		if (canary == null || canary.isBlank()) {
			throw new IllegalArgumentException("canary: " + canary + " (expected: the upstream the rollout moves)");
		}
		if (step == null || step < 1) {
			throw new IllegalArgumentException("step: " + step + " (expected: >= 1, 1 for the first step)");
		}
		Objects.requireNonNull(stepStarted, "stepStarted");
		phase = phase == null ? Phase.RUNNING : phase;
		reason = reason == null || reason.isBlank() ? null : reason;
	}

	/** The first step of a rollout of {@code canary}, starting {@code now}. */
	public static RolloutState start(String canary, Instant now, String reason) {
		return new RolloutState(canary, 1, now, Phase.RUNNING, reason);
	}

	/**
	 * What identifies the step on every replica: its counters start afresh when this changes (a
	 * new step, a resumed one); a pause keeps counting.
	 */
	public String stepKey() {
		return canary + "#" + step + "@" + stepStarted;
	}

}
