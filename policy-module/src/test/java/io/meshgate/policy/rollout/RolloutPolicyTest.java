package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RolloutPolicyTest {

	@Test
	void defaults() {
		RolloutPolicy policy = RolloutPolicy.DEFAULT;

		assertThat(policy.steps()).containsExactly(1.0, 5.0, 25.0, 50.0, 100.0);
		assertThat(policy.stepDuration()).isEqualTo(Duration.ofMinutes(5));
		assertThat(policy.maxStepDuration()).isEqualTo(Duration.ofMinutes(15));
		assertThat(policy.checkInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(policy.minRequests()).isEqualTo(200);
		assertThat(policy.maxErrorShareIncrease()).isEqualTo(1.0);
		assertThat(policy.maxLatencyRatio()).isEqualTo(1.5);
		assertThat(policy.consecutiveFailures()).isZero();
		assertThat(policy.falseRollbackRate()).isEqualTo(0.01);
		assertThat(policy.promoteToBaseline()).isFalse();
		assertThat(policy.gatedSteps()).isEqualTo(4);
	}

	@Test
	void stepsIncreaseToOneHundred() {
		assertThatIllegalArgumentException().isThrownBy(() -> steps(5.0, 5.0, 100.0))
			.withMessage("steps[1]: 5.0 (expected: above 5.0 and at most 100, the steps increasing)");
		assertThatIllegalArgumentException().isThrownBy(() -> steps(0.0, 100.0))
			.withMessage("steps[0]: 0.0 (expected: above 0.0 and at most 100, the steps increasing)");
		assertThatIllegalArgumentException().isThrownBy(() -> steps(10.0, 50.0))
			.withMessage("steps[1]: 50.0 (expected: 100, the last step)");
		assertThat(steps(100.0).gatedSteps()).isZero();
		assertThat(steps(100.0).looks()).isEqualTo(90);
	}

	@Test
	void durationsAndLimits() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RolloutPolicy(null, Duration.ofSeconds(5), null, null, null, null, null, null, null, null))
			.withMessage("stepDuration: PT5S (expected: checkInterval PT10S to 7d)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RolloutPolicy(null, null, null, null, Duration.ofMinutes(1), null, null, null, null, null))
			.withMessage("maxStepDuration: PT1M (expected: stepDuration PT5M to 7d)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RolloutPolicy(null, null, 0, null, null, null, null, null, null, null))
			.withMessage("minRequests: 0 (expected: >= 1)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RolloutPolicy(null, null, null, null, null, null, 0.9, null, null, null))
			.withMessage("maxLatencyRatio: 0.9 (expected: 1-1000)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RolloutPolicy(null, null, null, null, null, null, null, null, 0.5, null))
			.withMessage("falseRollbackRate: 0.5 (expected: 0.0001-0.2)");
	}

	private static RolloutPolicy steps(Double... steps) {
		return new RolloutPolicy(List.of(steps), null, null, null, null, null, null, null, null, null);
	}

}
