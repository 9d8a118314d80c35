package io.meshgate.gateway.kubernetes.status;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LeaseTimingTest {

	@Test
	void theDefaultsAreClientGosAndStandInForWhatIsLeftOut() {
		assertThat(LeaseTiming.DEFAULT).isEqualTo(
				new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
		assertThat(new LeaseTiming(null, null, null)).isEqualTo(LeaseTiming.DEFAULT);
		assertThat(new LeaseTiming(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)).retryPeriod())
			.isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aRetryPeriodOutsideItsRangeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LeaseTiming(null, null, Duration.ofMillis(99)))
			.withMessage("retryPeriod: PT0.099S (expected: 100ms to 10m)");
	}

	@Test
	void aRenewDeadlineLeavingNoRoomForARetryIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LeaseTiming(null, Duration.ofMillis(2400), Duration.ofSeconds(2)))
			.withMessage("renewDeadline: PT2.4S (expected: more than 1.2 × retryPeriod PT2S)");
	}

	@Test
	void aLeaseNoLongerThanTheRenewDeadlineIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LeaseTiming(Duration.ofSeconds(10), Duration.ofSeconds(10), null))
			.withMessage("leaseDuration: PT10S (expected: more than renewDeadline PT10S, at most 10m)");
	}

}
