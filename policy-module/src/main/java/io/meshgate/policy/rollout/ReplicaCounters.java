package io.meshgate.policy.rollout;

import java.time.Duration;

/**
 * The numbers of a rollout step summed over every replica that serves the route: what the gates
 * judge. With one instance these are its own counters ({@link Rollouts}); with several replicas
 * an implementation adds up each replica's counters of the same step.
 */
@FunctionalInterface
public interface ReplicaCounters {

	/**
	 * The step identified by {@code stepKey} ({@link RolloutState#stepKey()}) of {@code route},
	 * which has run for {@code elapsed}; counters of another step count nothing.
	 */
	StepNumbers numbers(String route, String stepKey, Duration elapsed);

}
