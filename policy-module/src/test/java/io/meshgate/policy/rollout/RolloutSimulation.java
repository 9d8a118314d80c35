package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import io.meshgate.policy.rollout.StepVerdict.Outcome;

/**
 * A rollout played against two simulated versions, look by look, through {@link StepJudge}: at
 * each look {@code requestsPerLook} requests arrive, each drawn to the canary by the step's share,
 * failing with its version's error rate and taking a log-normal latency (median 20 ms, σ 0.5)
 * times its version's factor.
 */
record RolloutSimulation(RolloutPolicy policy, int requestsPerLook, double baselineErrorRate, double canaryErrorRate,
		double canaryLatencyFactor) {

	/** How a simulated rollout ended: its last verdict and the step (0 for the first) it ended at. */
	record Ending(Outcome outcome, int step, int looks, StepVerdict verdict) {

	}

	Ending run(RandomGenerator random) {
		List<Double> steps = policy.steps();
		int looks = 0;
		for (int step = 0; step < policy.gatedSteps(); step++) {
			double share = steps.get(step) / 100;
			BackendWindow canary = BackendWindow.empty();
			BackendWindow baseline = BackendWindow.empty();
			LatencyHistogram canaryLatencies = new LatencyHistogram();
			LatencyHistogram baselineLatencies = new LatencyHistogram();
			long canaryRequests = 0, canaryErrors = 0, baselineRequests = 0, baselineErrors = 0, inARow = 0;
			for (int look = 1; look <= policy.looksPerStep(); look++) {
				looks++;
				for (int r = 0; r < requestsPerLook; r++) {
					boolean toCanary = random.nextDouble() < share;
					double latencyMs = 20 * Math.exp(0.5 * random.nextGaussian());
					if (toCanary) {
						boolean failed = random.nextDouble() < canaryErrorRate;
						canaryRequests++;
						canaryErrors += failed ? 1 : 0;
						inARow = failed ? inARow + 1 : 0;
						canaryLatencies.record((long) (latencyMs * canaryLatencyFactor * 1_000_000));
					}
					else {
						baselineRequests++;
						baselineErrors += random.nextDouble() < baselineErrorRate ? 1 : 0;
						baselineLatencies.record((long) (latencyMs * 1_000_000));
					}
				}
				canary = new BackendWindow(canaryRequests, canaryErrors, canaryLatencies.plus(new LatencyHistogram()));
				baseline = new BackendWindow(baselineRequests, baselineErrors,
						baselineLatencies.plus(new LatencyHistogram()));
				StepVerdict verdict = StepJudge.judge(policy,
						new StepNumbers(policy.checkInterval().multipliedBy(look), canary, baseline, inARow));
				if (verdict.outcome() == Outcome.PROMOTE) {
					break;
				}
				if (verdict.outcome() != Outcome.WAIT) {
					return new Ending(verdict.outcome(), step, looks, verdict);
				}
			}
		}
		return new Ending(Outcome.PROMOTE, policy.gatedSteps(), looks, null);
	}

	static Duration seconds(long seconds) {
		return Duration.ofSeconds(seconds);
	}

}
