package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.rollout.RolloutSimulation.Ending;
import io.meshgate.policy.rollout.StepVerdict.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

class StepJudgeTest {

	static final RolloutPolicy DEFAULTS = RolloutPolicy.DEFAULT;

	/**
	 * A/A: the canary is the baseline's version. The gates may roll it back with probability at most
	 * {@code falseRollbackRate} (1 %) over the whole rollout, by construction (Bonferroni over its
	 * {@code looks()} looks). The check allows 2 of 200 seeded rollouts (40 requests/s, 2 % errors
	 * on both sides): it would fail falsely only if the true rate were near the proven bound (at
	 * 1 %, 3 or more of 200 happens with probability 32 %); docs/design/rollout-gates.md gives the
	 * rate a longer simulation measured.
	 */
	@Test
	void identicalVersionsAreNotRolledBack() {
		// -Drollout.aa.runs=N for a longer simulation; it prints its endings
		int runs = Integer.getInteger("rollout.aa.runs", 200);
		Map<Outcome, Integer> endings = endings(new RolloutSimulation(DEFAULTS, 400, 0.02, 0.02, 1.0), runs, 1);
		System.out.println("A/A rollouts: " + runs + ", endings: " + endings);

		assertThat(endings.getOrDefault(Outcome.ROLL_BACK, 0)).as("false rollbacks").isLessThanOrEqualTo(runs / 100);
		assertThat(endings.getOrDefault(Outcome.PROMOTE, 0)).as("rollouts completed").isGreaterThanOrEqualTo(runs * 95 / 100);
	}

	/**
	 * The A/A run of RolloutAdminTest over real sockets, simulated: its nine gated steps of 10 %
	 * each, 1 s long and looked at every second, 200 canary requests, 40 s at most, 2 % errors on
	 * both sides, at {@code rollout.aa.rate} requests a second (400 by default; the real run prints
	 * its own). Run with {@code -Drollout.aa.runs=2000}, it gives the real test's false-failure rate
	 * (docs/design/rollout-gates.md); the suite runs 200 and allows 2, as above.
	 */
	@Test
	void identicalVersionsAtTheRealSocketTestsSettingsAreNotRolledBack() {
		int runs = Integer.getInteger("rollout.aa.runs", 200);
		int rate = Integer.getInteger("rollout.aa.rate", 400);
		RolloutPolicy realSocketRun = new RolloutPolicy(List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0),
				Duration.ofSeconds(1), null, Duration.ofSeconds(1), Duration.ofSeconds(40), null, null, null, null, null);
		Map<Outcome, Integer> endings = endings(new RolloutSimulation(realSocketRun, rate, 0.02, 0.02, 1.0), runs, 6);
		System.out.println("A/A rollouts at the real-socket test's settings, " + rate + " requests/s: " + runs
				+ ", endings: " + endings);

		assertThat(realSocketRun.looks()).isEqualTo(DEFAULTS.looks());
		assertThat(endings.getOrDefault(Outcome.ROLL_BACK, 0)).as("false rollbacks").isLessThanOrEqualTo(runs / 100);
		assertThat(endings.getOrDefault(Outcome.PROMOTE, 0)).as("rollouts completed").isGreaterThanOrEqualTo(runs * 95 / 100);
	}

	@Test
	void aCanaryFailingFivePointsMoreIsRolledBackInItsFirstStep() {
		// 200 requests/s: 2 a second reach the canary at its first step (1 %)
		RolloutSimulation worse = new RolloutSimulation(DEFAULTS, 2000, 0.01, 0.06, 1.0);
		RandomGenerator random = new SplittableRandom(2);
		for (int run = 0; run < 10; run++) {
			Ending ending = worse.run(random);
			assertThat(ending.outcome()).isEqualTo(Outcome.ROLL_BACK);
			assertThat(ending.verdict().reason()).startsWith("canary error share");
			assertThat(ending.step()).isZero();
		}
	}

	@Test
	void aCanaryTwiceAsSlowIsRolledBackOnItsLatency() {
		RolloutSimulation slower = new RolloutSimulation(DEFAULTS, 2000, 0.01, 0.01, 2.0);
		RandomGenerator random = new SplittableRandom(3);
		for (int run = 0; run < 10; run++) {
			Ending ending = slower.run(random);
			assertThat(ending.verdict().reason()).contains("slower than");
			assertThat(ending.outcome()).isEqualTo(Outcome.ROLL_BACK);
			assertThat(ending.step()).isZero();
		}
	}

	@Test
	void aCanaryWithinTheLatencyGateIsPromoted() {
		Map<Outcome, Integer> endings = endings(new RolloutSimulation(DEFAULTS, 400, 0.01, 0.01, 1.2), 20, 4);

		assertThat(endings).containsEntry(Outcome.PROMOTE, 20);
	}

	@Test
	void consecutiveFailuresRollBackAtOnce() {
		RolloutPolicy policy = new RolloutPolicy(null, null, null, null, null, null, null, 5, null, null);
		StepVerdict verdict = StepJudge.judge(policy, new StepNumbers(Duration.ofSeconds(10),
				new BackendWindow(5, 5, null), new BackendWindow(1000, 0, null), 5));

		assertThat(verdict.outcome()).isEqualTo(Outcome.ROLL_BACK);
		assertThat(verdict.reason()).isEqualTo("5 canary requests failed in a row (limit 5)");
	}

	@Test
	void aStepWithTooLittleCanaryTrafficPausesTheRollout() {
		// 40 requests a look: 0.4 to the canary at 1 %, far from 200 in the step's 90 looks
		Ending ending = new RolloutSimulation(DEFAULTS, 40, 0.01, 0.01, 1.0).run(new SplittableRandom(5));

		assertThat(ending.outcome()).isEqualTo(Outcome.PAUSE);
		assertThat(ending.step()).isZero();
		assertThat(ending.looks()).isEqualTo(90);
		assertThat(ending.verdict().reason()).startsWith("the step ran out of time: only ").endsWith("(200 needed)");
	}

	@Test
	void aStepIsPromotedOnlyOnceItLastedAndSawEnough() {
		BackendWindow fine = new BackendWindow(300, 0, null);
		BackendWindow base = new BackendWindow(30_000, 30, null);

		assertThat(StepJudge.judge(DEFAULTS, new StepNumbers(Duration.ofMinutes(4), fine, base, 0)).outcome())
			.isEqualTo(Outcome.WAIT);
		assertThat(StepJudge.judge(DEFAULTS, new StepNumbers(Duration.ofMinutes(5), fine, base, 0)).outcome())
			.isEqualTo(Outcome.PROMOTE);
		assertThat(StepJudge.judge(DEFAULTS, new StepNumbers(Duration.ofMinutes(5), new BackendWindow(199, 0, null), base,
				0)).outcome()).isEqualTo(Outcome.WAIT);
	}

	@Test
	void lookRateIsTheRolloutsRateSharedByItsLooks() {
		// 4 gated steps × (15 min / 10 s) looks
		assertThat(DEFAULTS.looks()).isEqualTo(360);
		assertThat(DEFAULTS.lookFalseRollbackRate()).isEqualTo(0.01 / 360);
		assertThat(new RolloutPolicy(List.of(10.0, 100.0), Duration.ofMinutes(1), null, Duration.ofSeconds(7), null, null,
				null, null, 0.05, null).looks()).isEqualTo(26);
	}

	private static Map<Outcome, Integer> endings(RolloutSimulation simulation, int runs, long seed) {
		RandomGenerator random = new SplittableRandom(seed);
		Map<Outcome, Integer> endings = new EnumMap<>(Outcome.class);
		for (int run = 0; run < runs; run++) {
			endings.merge(simulation.run(random).outcome(), 1, Integer::sum);
		}
		return endings;
	}

}
