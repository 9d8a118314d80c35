package io.meshgate.gateway.kubernetes.rollout;

import java.util.Map;

import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.LatencyHistogram;
import io.meshgate.policy.rollout.StepNumbers;

/**
 * What one replica publishes for the decider: for each route with a running rollout, the step it
 * counts and its counters of that step, whole (requests, errors, every latency bucket), so that
 * the decider adds them up exactly. The JSON of the {@code counters.json} key of the replica's
 * ConfigMap.
 *
 * @param steps by route id
 */
record PublishedSteps(Map<String, Step> steps) {

	PublishedSteps {
		steps = steps == null ? Map.of() : Map.copyOf(steps);
	}

	/**
	 * @param key {@link io.meshgate.policy.rollout.RolloutState#stepKey()} of the step counted
	 * @param canaryFailuresInARow the canary's failed requests since its last success on this replica
	 */
	record Step(String key, Side canary, Side baseline, long canaryFailuresInARow) {

		static Step of(String key, StepNumbers numbers) {
			return new Step(key, Side.of(numbers.canary()), Side.of(numbers.baseline()),
					numbers.consecutiveCanaryFailures());
		}

	}

	/** @param latencies the count of every bucket of {@link LatencyHistogram}, in order */
	record Side(long requests, long errors, long[] latencies) {

		static Side of(BackendWindow window) {
			return new Side(window.requests(), window.errors(), window.latencies().counts());
		}

		/** The window again; refuses counts that no replica writes (negative, wrong bucket count). */
		BackendWindow window() {
			return new BackendWindow(requests, errors, LatencyHistogram.of(latencies == null ? new long[0] : latencies));
		}

	}

}
