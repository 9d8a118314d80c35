package io.meshgate.policy.rollout;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The confidence bounds the rollout gates are built on. Each takes the probability {@code alpha}
 * that the bound is wrong (one-sided).
 */
final class Bounds {

	private Bounds() {
	}

	/**
	 * A bound the difference of two proportions {@code a/n - b/m} is at least, but with probability
	 * at most {@code alpha}: the exact lower bound of the first less the exact upper bound of the
	 * second, each wrong with probability at most {@code alpha / 2}, so that by Bonferroni the
	 * difference of the bounds is wrong with at most {@code alpha}, for any sample sizes. Newcombe's
	 * square-and-add of the same bounds is narrower but not guaranteed: with one canary request and
	 * a rare error it claims a difference more often than {@code alpha}, and the gates look often,
	 * each with a small {@code alpha}. The baseline takes most requests, so its bound is close to its
	 * share and the canary's bound decides.
	 */
	static double differenceLowerBound(long a, long n, long b, long m, double alpha) {
		return exact(a, n, alpha / 2, -1) - exact(b, m, alpha / 2, +1);
	}

	/**
	 * The exact (Clopper-Pearson) bound on the probability behind {@code x} events of {@code n}:
	 * lower for {@code side} -1, upper for +1, wrong with probability at most {@code alpha}.
	 */
	static double exact(long x, long n, double alpha, int side) {
		if (side < 0) {
			return x == 0 ? 0 : new BetaDistribution(null, x, n - x + 1).inverseCumulativeProbability(alpha);
		}
		return x == n ? 1 : new BetaDistribution(null, x + 1, n - x).inverseCumulativeProbability(1 - alpha);
	}

	/**
	 * The rank of an order statistic that is at least the {@code quantile} of the distribution
	 * {@code n} values were drawn from, but with probability at most {@code alpha}: the smallest r
	 * with P(Binomial(n, quantile) <= r - 1) >= 1 - alpha. Above {@code n} when n values are too few
	 * for such a bound.
	 */
	static long upperRankOfQuantile(long n, double quantile, double alpha) {
		if (n == 0) {
			return 1;
		}
		return binomial(n, quantile).inverseCumulativeProbability(1 - alpha) + 1L;
	}

	/** P(Binomial(n, p) >= k): how likely k or more of n events of probability p are. */
	static double upperTail(long n, double p, long k) {
		if (k <= 0) {
			return 1;
		}
		if (k > n) {
			return 0;
		}
		return 1 - binomial(n, p).cumulativeProbability((int) (k - 1));
	}

	private static BinomialDistribution binomial(long n, double p) {
		if (n > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("n: " + n + " (expected: at most " + Integer.MAX_VALUE + ")");
		}
		return new BinomialDistribution(null, (int) n, p);
	}

}
