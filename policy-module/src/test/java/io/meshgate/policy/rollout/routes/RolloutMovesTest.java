package io.meshgate.policy.rollout.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.LatencyHistogram;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.RolloutSteps;
import io.meshgate.policy.rollout.StepNumbers;
import io.meshgate.policy.rollout.StepVerdict;
import io.meshgate.policy.rollout.StepVerdict.Outcome;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RolloutMovesTest {

	private static final Instant T0 = Instant.parse("2026-12-06T19:00:00Z");

	private static final RolloutPolicy STEPS = new RolloutPolicy(List.of(5.0, 25.0, 100.0), null, null, null, null, null,
			null, null, null, null);

	private static Route shop(RolloutPolicy policy) {
		return Route.of("shop", "/shop/**", Backend.of("v1", 100), Backend.of("v2", 0))
			.withCanary(CanaryPolicy.DEFAULT.withRollout(policy));
	}

	private static List<Integer> weights(Route route) {
		return route.backends().stream().map(Backend::weight).toList();
	}

	private static StepNumbers numbers(long canary, long canaryFailed, long baseline) {
		LatencyHistogram latencies = new LatencyHistogram();
		latencies.record(Duration.ofMillis(20).toNanos());
		return new StepNumbers(Duration.ofMinutes(6), new BackendWindow(canary, canaryFailed, latencies),
				new BackendWindow(baseline, 0, latencies), 0);
	}

	@Test
	void aRolloutStartsAtItsFirstStepWithTheCanaryItNames() {
		Move start = RolloutMoves.start(shop(STEPS), T0);

		assertThat(weights(start.route())).containsExactly(95, 5);
		assertThat(start.route().rolloutState()).isEqualTo(new RolloutState("v2", 1, T0, Phase.RUNNING,
				"the rollout of v2 started"));
		assertThat(start.summary()).isEqualTo("shop: rollout of v2 starts at step 1 (5 %)");
	}

	@Test
	void aPromotionMovesToTheNextStepAndItsLineCarriesTheNumbers() {
		Route running = RolloutMoves.start(shop(STEPS), T0).route();
		StepVerdict promote = new StepVerdict(Outcome.PROMOTE, "within every gate", null, null);

		Move move = RolloutMoves.judged(running, promote, numbers(812, 3, 9120), T0.plusSeconds(300));

		assertThat(weights(move.route())).containsExactly(75, 25);
		assertThat(move.route().rolloutState().step()).isEqualTo(2);
		assertThat(move.route().rolloutState().stepStarted()).isEqualTo(T0.plusSeconds(300));
		assertThat(move.summary())
			.isEqualTo("shop: rollout step 1 → 2 (25 %): canary 0.4 % failed of 812 vs 0.0 % of 9120, p99 21 ms vs 21 ms");
	}

	@Test
	void aRollbackWithdrawsTheCanaryAndSaysWhy() {
		Route running = RolloutMoves.start(shop(STEPS), T0).route();
		StepVerdict rollBack = new StepVerdict(Outcome.ROLL_BACK, "canary error share too high", null, null);

		Move move = RolloutMoves.judged(running, rollBack, numbers(40, 40, 760), T0.plusSeconds(20));

		assertThat(weights(move.route())).containsExactly(100, 0);
		assertThat(move.route().rolloutState().phase()).isEqualTo(Phase.ROLLED_BACK);
		assertThat(move.summary()).startsWith("shop: rollout rolled back at step 1 (5 %): canary 100.0 % failed of 40 vs")
			.endsWith(": canary error share too high");
		assertThat(RolloutMoves.judged(running, new StepVerdict(Outcome.WAIT, "", null, null), numbers(1, 0, 1), T0))
			.isNull();
	}

	@Test
	void theLastStepEndsTheRolloutOrMakesTheCanaryTheBaseline() {
		Route atTwo = RolloutMoves.at(shop(STEPS), new RolloutState("v2", 2, T0, Phase.RUNNING, null));

		Move done = RolloutMoves.promote(atTwo, "alice", T0);
		assertThat(weights(done.route())).containsExactly(0, 100);
		assertThat(done.route().rolloutState().phase()).isEqualTo(Phase.DONE);
		assertThat(done.summary()).isEqualTo("shop: rollout step 2 → 3 (100 %) by alice, done");

		RolloutPolicy promoting = new RolloutPolicy(STEPS.steps(), null, null, null, null, null, null, null, null, true);
		Move promoted = RolloutMoves.promote(RolloutMoves.at(shop(promoting), atTwo.rolloutState()), "alice", T0);
		assertThat(promoted.route().backends()).containsExactly(Backend.of("v2", 100));
		assertThat(promoted.route().canary().rollout()).isNull();
		assertThat(promoted.route().rolloutState()).isNull();
		assertThat(promoted.summary())
			.isEqualTo("shop: rollout step 2 → 3 (100 %) by alice, done: v2 is the baseline, v1 is no longer a backend of the route");
	}

	@Test
	void stepsWithFractionsWeighInTenThousandths() {
		RolloutPolicy fine = new RolloutPolicy(List.of(0.5, 12.25, 100.0), null, null, null, null, null, null, null, null,
				null);

		assertThat(RolloutSteps.weights(fine, 1)).containsExactly(9950, 50);
		assertThat(RolloutSteps.weights(fine, 2)).containsExactly(8775, 1225);
		assertThat(RolloutSteps.withdrawn(fine)).containsExactly(10_000, 0);
	}

	@Test
	void aRouteWithARolloutHasABaselineAndACanaryAndAStepOfItsSteps() {
		Route three = Route.of("shop", "/shop/**", Backend.of("v1", 1), Backend.of("v2", 1), Backend.of("v3", 1));
		assertThatIllegalArgumentException().isThrownBy(() -> three.withCanary(CanaryPolicy.DEFAULT.withRollout(STEPS)))
			.withMessage("canary.rollout: given with 3 backends (expected: exactly two backends of two upstreams, "
					+ "the baseline first, the canary second)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> shop(STEPS).withRolloutState(new RolloutState("v2", 4, T0, null, null)))
			.withMessage("rolloutState.step: 4 (expected: 1-3, one of canary.rollout.steps)");
		// the state of a rollout that is no more is dropped
		Route plain = Route.of("shop", "/shop/**", Backend.of("v1", 1), Backend.of("v2", 1));
		assertThat(plain.withRolloutState(new RolloutState("v2", 1, T0, null, null)).rolloutState()).isNull();
	}

	@Test
	void everyMovesHistoryLineSaysWhatKindOfMoveItWas() {
		Route running = RolloutMoves.start(shop(STEPS), T0).route();
		Move toLastStep = RolloutMoves.promote(RolloutMoves.promote(running, "ann", T0).route(), "ann", T0);
		StepVerdict pause = new StepVerdict(Outcome.PAUSE, "too few requests", null, null);
		StepVerdict rollBack = new StepVerdict(Outcome.ROLL_BACK, "canary error share too high", null, null);
		Route paused = RolloutMoves.pause(running, "ann").route();

		assertThat(List.of(RolloutMoves.start(shop(STEPS), T0), RolloutMoves.promote(running, "ann", T0),
				RolloutMoves.judged(running, rollBack, numbers(40, 40, 760), T0),
				RolloutMoves.judged(running, pause, numbers(1, 0, 10), T0), RolloutMoves.pause(running, "ann"),
				RolloutMoves.resume(paused, "ann", T0), RolloutMoves.abort(running, "ann", T0)))
			.extracting(move -> RolloutMoves.kindOf("shop", move.summary()))
			.containsExactly("start", "promote", "rollback", "pause", "pause", "resume", "abort");
		assertThat(toLastStep.route().rolloutState().phase()).isEqualTo(Phase.DONE);
		assertThat(RolloutMoves.kindOf("shop", toLastStep.summary())).isEqualTo("done");
		assertThat(RolloutMoves.kindOf("shop", "update route shop")).isNull();
		assertThat(RolloutMoves.kindOf("shop-2", "shop: rollout of v2 starts at step 1 (5 %)")).isNull();
	}

}
