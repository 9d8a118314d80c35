package io.meshgate.policy.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RunningRollouts;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutsTest {

	private static final Instant T0 = Instant.parse("2026-12-06T19:00:00Z");

	private static final Route SHOP = RolloutMoves.at(
			Route.of("shop", "/shop/**", Backend.of("v1", 1), Backend.of("v2", 0))
				.withCanary(CanaryPolicy.DEFAULT.withRollout(RolloutPolicy.DEFAULT)),
			new RolloutState("v2", 1, T0, Phase.RUNNING, null));

	@Test
	void eachSideCountsIntoTheStepInForceAndANewStepStartsAfresh() {
		Rollouts rollouts = new Rollouts();
		RouteRollout shop = rollouts.of("shop");
		rollouts.apply(RunningRollouts.of(List.of(SHOP)));
		String step1 = SHOP.rolloutState().stepKey();

		shop.record("v2", true, 1_000_000);
		shop.record("v2", true, 1_000_000);
		shop.record("v1", false, 1_000_000);
		shop.record("status:503", true, 1_000_000);

		StepNumbers numbers = rollouts.numbers("shop", step1, Duration.ofSeconds(3));
		assertThat(numbers.canary().requests()).isEqualTo(2);
		assertThat(numbers.canary().errors()).isEqualTo(2);
		assertThat(numbers.baseline().requests()).isEqualTo(1);
		assertThat(numbers.consecutiveCanaryFailures()).isEqualTo(2);
		// the same configuration again (another route edited): the step's counts go on
		rollouts.apply(RunningRollouts.of(List.of(SHOP)));
		assertThat(rollouts.numbers("shop", step1, Duration.ZERO).canary().requests()).isEqualTo(2);

		Route step2 = RolloutMoves.at(SHOP, new RolloutState("v2", 2, T0.plusSeconds(300), Phase.RUNNING, null));
		rollouts.apply(RunningRollouts.of(List.of(step2)));
		assertThat(rollouts.numbers("shop", step2.rolloutState().stepKey(), Duration.ZERO).canary().requests()).isZero();
		assertThat(rollouts.numbers("shop", step1, Duration.ZERO).canary().requests()).as("an old step's numbers").isZero();
	}

	@Test
	void aRouteWithoutARolloutHasNoCounters() {
		Rollouts rollouts = new Rollouts();
		rollouts.of("shop");
		rollouts.apply(RunningRollouts.of(List.of(Route.of("shop", "/shop/**", Backend.of("v1", 1), Backend.of("v2", 1)))));

		assertThat(rollouts.isEmpty()).isTrue();
	}

}
