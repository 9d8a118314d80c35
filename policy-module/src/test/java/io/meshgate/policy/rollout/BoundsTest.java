package io.meshgate.policy.rollout;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BoundsTest {

	@Test
	void exactBoundsAreClopperPearsons() {
		// 95 % two-sided Clopper-Pearson intervals: 0/10 (0, 0.3085), 1/10 (0.0025, 0.4450), 5/10 (0.1871, 0.8129)
		assertThat(Bounds.exact(0, 10, 0.025, -1)).isZero();
		assertThat(Bounds.exact(0, 10, 0.025, +1)).isCloseTo(0.3085, within(0.00005));
		assertThat(Bounds.exact(1, 10, 0.025, -1)).isCloseTo(0.0025, within(0.00005));
		assertThat(Bounds.exact(1, 10, 0.025, +1)).isCloseTo(0.4450, within(0.00005));
		assertThat(Bounds.exact(5, 10, 0.025, -1)).isCloseTo(0.1871, within(0.00005));
		assertThat(Bounds.exact(10, 10, 0.025, +1)).isEqualTo(1);
	}

	@Test
	void differenceBoundIsTheSingleExactBoundsAtHalfTheAlpha() {
		// 56/70 - 48/80 (Newcombe 1998, Table II: 0.0524 by his method 10 at 95 %, which is not
		// guaranteed): the guaranteed bound is more careful
		assertThat(Bounds.differenceLowerBound(56, 70, 48, 80, 0.025))
			.isEqualTo(Bounds.exact(56, 70, 0.0125, -1) - Bounds.exact(48, 80, 0.0125, +1))
			.isBetween(-0.1, 0.0524);
		// one failed request of one proves nothing at a gate's small alpha
		assertThat(Bounds.differenceLowerBound(1, 1, 20, 1000, 0.00001)).isNegative();
	}

	/**
	 * The property the gates rest on, computed exactly over every outcome: when the canary fails no
	 * more often than the baseline plus the limit, the bound exceeds the limit with probability at
	 * most alpha, for small and large samples and rare and common errors.
	 */
	@Test
	void aCanaryWithinTheLimitIsProvenWorseAtMostAlphaOfTheTime() {
		for (double alpha : new double[] { 0.01, 0.0001 }) {
			for (double limit : new double[] { 0, 0.01 }) {
				for (double baseline : new double[] { 0.001, 0.02, 0.5 }) {
					// canary and baseline requests: one request against many (the corner where an
					// unguaranteed bound fails), few against few, many against one, many against many
					for (int[] sizes : new int[][] { { 1, 2000 }, { 3, 200 }, { 10, 10 }, { 40, 1 }, { 200, 500 } }) {
						double canary = baseline + limit;
						double falseAlarm = falseAlarm(sizes[0], canary, sizes[1], baseline, limit, alpha);
						assertThat(falseAlarm).as("n %d at %s, m %d at %s, limit %s, alpha %s", sizes[0], canary, sizes[1],
								baseline, limit, alpha).isLessThanOrEqualTo(alpha);
					}
				}
			}
		}
	}

	@Test
	void quantileRankIsTheSmallestWithTheCoverageAsked() {
		for (long n : new long[] { 100, 1000, 12345 }) {
			for (double alpha : new double[] { 0.05, 0.001, 1e-6 }) {
				long rank = Bounds.upperRankOfQuantile(n, 0.99, alpha);
				BinomialDistribution below = new BinomialDistribution(null, (int) n, 0.99);
				// P(X_(r) >= q) = P(fewer than r of n values below q) = P(Binomial(n, 0.99) <= r - 1)
				assertThat(below.cumulativeProbability((int) rank - 1)).isGreaterThanOrEqualTo(1 - alpha);
				assertThat(below.cumulativeProbability((int) rank - 2)).isLessThan(1 - alpha);
			}
		}
		// 100 values are too few for a 0.1 % bound on their p99: no rank of them will do
		assertThat(Bounds.upperRankOfQuantile(100, 0.99, 0.001)).isGreaterThan(100);
	}

	@Test
	void upperTailOfTheBinomial() {
		assertThat(Bounds.upperTail(10, 0.5, 0)).isEqualTo(1);
		assertThat(Bounds.upperTail(10, 0.5, 11)).isEqualTo(0);
		assertThat(Bounds.upperTail(10, 0.5, 10)).isCloseTo(1 / 1024.0, within(1e-12));
		assertThat(Bounds.upperTail(10, 0.5, 9)).isCloseTo(11 / 1024.0, within(1e-12));
	}

	/** P(the bound exceeds the limit), summed over every outcome of both sides that is not negligible. */
	private static double falseAlarm(int n, double canary, int m, double baseline, double limit, double alpha) {
		BinomialDistribution a = new BinomialDistribution(null, n, canary);
		BinomialDistribution b = new BinomialDistribution(null, m, baseline);
		double total = 0;
		for (int x = 0; x <= n; x++) {
			double px = a.probability(x);
			if (px < 1e-15) {
				continue;
			}
			for (int y = 0; y <= m; y++) {
				double py = b.probability(y);
				if (py * px < 1e-15) {
					continue;
				}
				if (Bounds.differenceLowerBound(x, n, y, m, alpha) > limit) {
					total += px * py;
				}
			}
		}
		return total;
	}

}
