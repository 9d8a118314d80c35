package io.meshgate.policy.retry;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The wait before each retry: doubled per retry, jittered by half, within its bounds. */
class RetryBackoffTest {

	private final RetryPolicy policy = new RetryPolicy(10, null, null, Duration.ofMillis(25), Duration.ofMillis(250),
			null, null, null, null);

	@Test
	void doublesPerRetryWithHalfOfItselfAsJitterAndNeverLeavesTheBounds() {
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < 1000; i++) {
			assertThat(policy.backoff(1, random)).isBetween(Duration.ofMillis(25), Duration.ofMillis(37).plusNanos(500_000));
			assertThat(policy.backoff(2, random)).isBetween(Duration.ofMillis(25), Duration.ofMillis(75));
			assertThat(policy.backoff(3, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
			assertThat(policy.backoff(4, random)).isBetween(Duration.ofMillis(100), Duration.ofMillis(250));
			assertThat(policy.backoff(10, random)).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
		}
	}

	@Test
	void jitterSpreadsTheWaitsOfClientsThatFailedTogether() {
		SplittableRandom random = new SplittableRandom(7);
		long distinct = IntStream.range(0, 100).mapToObj(i -> policy.backoff(3, random)).distinct().count();
		assertThat(distinct).isGreaterThan(50);
	}

	@Test
	void theLongestBackoffIsAnHour() {
		assertThat(new RetryPolicy(10, null, null, Duration.ofMinutes(30), Duration.ofHours(1), null, null, null, null)
			.backoff(10, new SplittableRandom(1))).isBetween(Duration.ofMinutes(30), Duration.ofHours(1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(2, null, null, null, Duration.ofHours(2), null, null, null, null))
			.withMessage("maxInterval: PT2H (expected: >= baseInterval PT0.025S and <= PT1H)");
		// a long base interval caps the default maxInterval at an hour rather than failing on it
		assertThat(new RetryPolicy(2, null, null, Duration.ofMinutes(30), null, null, null, null, null).maxInterval())
			.isEqualTo(Duration.ofHours(1));
	}

}
