package io.meshgate.policy.rollout;

import java.time.Duration;

/**
 * One route's rollout on this replica: the backends it compares and their counters for the step
 * in force. The route's split records every request to either backend here; the counters start
 * afresh whenever the step changes ({@link #update}), so they always belong to one step.
 */
public final class RouteRollout {

	/** The step in force, replaced whole; null until the route's configuration is applied. */
	private volatile Step step;

	/**
	 * @param key {@link RolloutState#stepKey()}, or "" before the decider started the rollout
	 */
	private record Step(String key, String baseline, String canary, StepCounters baselineCounters,
			StepCounters canaryCounters) {
	}

	/** Counts one request to {@code backend}: failed (a 5xx, or no answer), taking {@code nanos}. */
	public void record(String backend, boolean failed, long nanos) {
		Step current = step;
		if (current == null) {
			return;
		}
		if (backend.equals(current.canary)) {
			current.canaryCounters.record(failed, nanos);
		}
		else if (backend.equals(current.baseline)) {
			current.baselineCounters.record(failed, nanos);
		}
	}

	/** Starts counting a step afresh, unless {@code key} names the step already counted. */
	void update(String key, String baseline, String canary) {
		Step current = step;
		if (current == null || !current.key.equals(key) || !current.baseline.equals(baseline)
				|| !current.canary.equals(canary)) {
			step = new Step(key, baseline, canary, new StepCounters(), new StepCounters());
		}
	}

	/** The key of the step counted; null until the route's configuration is applied. */
	String stepKey() {
		Step current = step;
		return current == null ? null : current.key;
	}

	/** This replica's numbers of the step {@code key}; empty for another step. */
	StepNumbers numbers(String key, Duration elapsed) {
		Step current = step;
		if (current == null || !current.key.equals(key)) {
			return new StepNumbers(elapsed, BackendWindow.empty(), BackendWindow.empty(), 0);
		}
		return new StepNumbers(elapsed, current.canaryCounters.snapshot(), current.baselineCounters.snapshot(),
				current.canaryCounters.failuresInARow());
	}

}
