package io.meshgate.policy.rollout;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LatencyHistogramTest {

	@Test
	void aLatencyOnAnEdgeBelongsToTheBucketItEnds() {
		assertThat(LatencyHistogram.bucket(0)).isZero();
		assertThat(LatencyHistogram.bucket(50)).isZero();
		assertThat(LatencyHistogram.bucket(50.001)).isEqualTo(1);
		for (int b = 1; b < LatencyHistogram.BUCKETS - 1; b++) {
			assertThat(LatencyHistogram.bucket(LatencyHistogram.upper(b))).as("upper edge of %d", b).isEqualTo(b);
			assertThat(LatencyHistogram.bucket(Math.nextUp(LatencyHistogram.upper(b - 1)))).as("just above %d", b - 1)
				.isEqualTo(b);
		}
		assertThat(LatencyHistogram.bucket(1e12)).isEqualTo(LatencyHistogram.BUCKETS - 1);
		// sixteen buckets per doubling: 100 µs ends bucket 16, 1 ms lies in bucket 70 (50 µs × 2^4.32)
		assertThat(LatencyHistogram.upper(16)).isEqualTo(100);
		assertThat(LatencyHistogram.bucket(1000)).isEqualTo(70);
	}

	@Test
	void countAboveNeverCountsALatencyAtOrBelowTheThreshold() {
		SplittableRandom random = new SplittableRandom(7);
		double[] micros = new double[5000];
		LatencyHistogram histogram = new LatencyHistogram();
		for (int i = 0; i < micros.length; i++) {
			micros[i] = Math.exp(random.nextDouble(Math.log(10), Math.log(10_000_000)));
			histogram.record((long) (micros[i] * 1000));
		}
		for (double threshold : new double[] { 25, 100, 999.5, 1234, 50_000, 3_000_000 }) {
			long exact = 0;
			for (double each : micros) {
				exact += (long) (each * 1000) / 1000.0 > threshold ? 1 : 0;
			}
			long counted = histogram.countAbove(threshold);
			assertThat(counted).as("above %s µs", threshold).isLessThanOrEqualTo(exact);
			// at most the one bucket the threshold falls in is left out
			int bucket = LatencyHistogram.bucket(threshold);
			long sameBucket = 0;
			for (double each : micros) {
				sameBucket += LatencyHistogram.bucket((long) (each * 1000) / 1000.0) == bucket ? 1 : 0;
			}
			assertThat(exact - counted).isLessThanOrEqualTo(sameBucket);
		}
	}

	@Test
	void upperOfRankIsNeverBelowTheLatencyOfThatRank() {
		LatencyHistogram histogram = new LatencyHistogram();
		long[] nanos = { 40_000, 120_000, 1_000_000, 1_000_001, 7_500_000 };
		for (long each : nanos) {
			histogram.record(each);
		}
		for (int rank = 1; rank <= nanos.length; rank++) {
			double upper = histogram.upperOfRank(rank);
			assertThat(upper).isGreaterThanOrEqualTo(nanos[rank - 1] / 1000.0);
			assertThat(upper).isLessThanOrEqualTo(Math.max(50, nanos[rank - 1] / 1000.0 * Math.pow(2, 1.0 / 16)));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> histogram.upperOfRank(6));
	}

	@Test
	void replicasCountsAddUp() {
		LatencyHistogram one = new LatencyHistogram();
		LatencyHistogram two = new LatencyHistogram();
		one.record(1_000_000);
		two.record(1_000_000);
		two.record(90_000_000);
		LatencyHistogram sum = one.plus(LatencyHistogram.of(two.counts()));
		assertThat(sum.total()).isEqualTo(3);
		assertThat(sum.countAbove(50_000)).isEqualTo(1);
		assertThat(one.total()).isEqualTo(1);
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyHistogram.of(new long[3]))
			.withMessage("counts: 3 buckets (expected: 350)");
	}

}
