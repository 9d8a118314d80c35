package io.meshgate.policy.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One client's bucket, on a clock the test moves: the time is the {@code now} of each call, in nanoseconds. */
class TokenBucketTest {

	static final long SECOND = Duration.ofSeconds(1).toNanos();

	@Test
	void aFullBucketGivesItsBurstThenTheExactWaitUntilTheNextFill() {
		TokenBucket bucket = new TokenBucket(new RateLimitPolicy(3, 1, Duration.ofSeconds(1), null, null), 0);

		assertThat(bucket.tryTake(0)).isZero();
		assertThat(bucket.tryTake(0)).isZero();
		assertThat(bucket.tryTake(0)).isZero();
		assertThat(bucket.tryTake(0)).isEqualTo(SECOND);
		assertThat(bucket.tryTake(SECOND / 4)).isEqualTo(SECOND * 3 / 4);
	}

	@Test
	void theTokenArrivesAtTheFillBoundaryAndNotOneNanosecondBefore() {
		TokenBucket bucket = empty(new RateLimitPolicy(1, 1, Duration.ofSeconds(1), null, null));

		assertThat(bucket.tryTake(SECOND - 1)).isEqualTo(1);
		assertThat(bucket.tryTake(SECOND)).isZero();
		assertThat(bucket.tryTake(SECOND)).isEqualTo(SECOND);
	}

	@Test
	void fillsKeepTheirScheduleWhenARequestArrivesBetweenThem() {
		TokenBucket bucket = empty(new RateLimitPolicy(1, 1, Duration.ofSeconds(1), null, null));

		// at 1.5 s the fill of 1 s is taken; the next fill is at 2 s, not 2.5 s
		assertThat(bucket.tryTake(SECOND * 3 / 2)).isZero();
		assertThat(bucket.tryTake(SECOND * 3 / 2)).isEqualTo(SECOND / 2);
		assertThat(bucket.tryTake(2 * SECOND)).isZero();
	}

	@Test
	void eachFillAddsTokensPerFillAndTheBucketHoldsNoMoreThanMaxTokens() {
		TokenBucket bucket = empty(new RateLimitPolicy(10, 4, Duration.ofMillis(100), null, null));
		long fill = Duration.ofMillis(100).toNanos();

		// two and a half intervals: two fills of 4
		assertThat(takeAll(bucket, 5 * fill / 2)).isEqualTo(8);

		// an hour idle fills to 10, never more
		assertThat(takeAll(bucket, Duration.ofHours(1).toNanos())).isEqualTo(10);
	}

	@Test
	void aClockThatWrapsAroundWorksTheSame() {
		long start = Long.MAX_VALUE - SECOND / 2;
		TokenBucket bucket = new TokenBucket(new RateLimitPolicy(1, 1, Duration.ofSeconds(1), null, null), start);

		assertThat(bucket.tryTake(start)).isZero();
		assertThat(bucket.tryTake(start + SECOND - 1)).isEqualTo(1);
		// System.nanoTime() values may wrap: only differences count
		assertThat(bucket.tryTake(start + SECOND)).isZero();
	}

	/** A bucket created at 0 and emptied at 0. */
	private static TokenBucket empty(RateLimitPolicy policy) {
		TokenBucket bucket = new TokenBucket(policy, 0);
		assertThat(takeAll(bucket, 0)).isEqualTo(policy.maxTokens());
		return bucket;
	}

	/** Takes tokens at {@code now} until the bucket refuses; returns how many it gave. */
	private static int takeAll(TokenBucket bucket, long now) {
		int taken = 0;
		while (bucket.tryTake(now) == 0) {
			taken++;
		}
		return taken;
	}

}
