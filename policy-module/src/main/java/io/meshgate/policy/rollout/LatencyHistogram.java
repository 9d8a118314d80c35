package io.meshgate.policy.rollout;

import java.util.Arrays;

/**
 * Latencies counted in fixed buckets: every replica uses the same buckets, so that their counts
 * add up to the counts of the whole gateway. Bucket {@code b} holds latencies above
 * {@code upper(b - 1)} up to {@code upper(b) = 50 µs × 2^(b/16)} (sixteen buckets per doubling,
 * each 4.4 % wide: a gate that rounds a bound up to an edge loses no more), up to about 176 s; a
 * last bucket holds everything slower.
 *
 * <p>Not thread-safe: one writer per instance, or a copy per reader.
 */
public final class LatencyHistogram {

	static final int BUCKETS = 350;

	private static final double FIRST_UPPER_MICROS = 50;

	private static final int PER_DOUBLING = 16;

	private final long[] counts;

	private long total;

	public LatencyHistogram() {
		this(new long[BUCKETS], 0);
	}

	private LatencyHistogram(long[] counts, long total) {
		this.counts = counts;
		this.total = total;
	}

	/** The histogram of the given counts, one per bucket (as another replica reports them). */
	public static LatencyHistogram of(long[] counts) {
		if (counts.length != BUCKETS) {
			throw new IllegalArgumentException("counts: " + counts.length + " buckets (expected: " + BUCKETS + ")");
		}
		long total = 0;
		for (long count : counts) {
			if (count < 0) {
				throw new IllegalArgumentException("counts: " + count + " (expected: >= 0)");
			}
			total += count;
		}
		return new LatencyHistogram(counts.clone(), total);
	}

	public void record(long nanos) {
		counts[bucket(nanos / 1000.0)]++;
		total++;
	}

	public long total() {
		return total;
	}

	public long[] counts() {
		return counts.clone();
	}

	/** The sum of both, bucket by bucket. */
	public LatencyHistogram plus(LatencyHistogram other) {
		long[] sum = counts.clone();
		for (int b = 0; b < BUCKETS; b++) {
			sum[b] += other.counts[b];
		}
		return new LatencyHistogram(sum, total + other.total);
	}

	/**
	 * How many latencies are certainly above {@code micros}: those of the buckets that start at or
	 * above it. Never counts a latency at or below it, so a test of too many slow requests built
	 * on it is never more eager than one on exact latencies.
	 */
	public long countAbove(double micros) {
		long above = 0;
		for (int b = BUCKETS - 1; b >= 0 && lower(b) >= micros; b--) {
			above += counts[b];
		}
		return above;
	}

	/**
	 * The upper edge of the bucket holding the {@code rank}-th fastest latency (1 for the
	 * fastest): a value the latency of that rank does not exceed; infinite in the last bucket.
	 */
	public double upperOfRank(long rank) {
		if (rank < 1 || rank > total) {
			throw new IllegalArgumentException("rank: " + rank + " (expected: 1-" + total + ")");
		}
		long seen = 0;
		for (int b = 0; b < BUCKETS; b++) {
			seen += counts[b];
			if (seen >= rank) {
				return upper(b);
			}
		}
		throw new IllegalStateException("counts add up to less than their total");
	}

	static int bucket(double micros) {
		if (!(micros > FIRST_UPPER_MICROS)) {
			return 0;
		}
		int bucket = (int) Math.ceil(PER_DOUBLING * (Math.log(micros / FIRST_UPPER_MICROS) / Math.log(2)));
		// the logarithm may land a latency on an edge one bucket off: settle it against the edges
		while (bucket > 0 && bucket < BUCKETS && micros <= upper(bucket - 1)) {
			bucket--;
		}
		while (bucket < BUCKETS - 1 && micros > upper(bucket)) {
			bucket++;
		}
		return Math.min(bucket, BUCKETS - 1);
	}

	static double upper(int bucket) {
		return bucket >= BUCKETS - 1 ? Double.POSITIVE_INFINITY
				: FIRST_UPPER_MICROS * Math.pow(2, (double) bucket / PER_DOUBLING);
	}

	static double lower(int bucket) {
		return bucket == 0 ? 0 : upper(bucket - 1);
	}

	@Override
	public String toString() {
		return "LatencyHistogram" + Arrays.toString(counts);
	}

}
