package io.meshgate.admin.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests, 5xx answers and a latency histogram summed over a window: what one route, backend or
 * upstream saw. Latency percentiles come from the histogram's buckets (upper bounds in
 * milliseconds, counts of the window), interpolated within the bucket where the percentile falls,
 * as Prometheus's {@code histogram_quantile} does.
 */
final class TrafficStats {

	private long requests;

	private long errors;

	private double[] boundsMillis;

	private double[] counts;

	/** Adds one meter's window: its requests, how many were 5xx, and its histogram (may be empty). */
	void add(long requests, long errors, double[] boundsMillis, double[] counts) {
		this.requests += requests;
		this.errors += errors;
		if (boundsMillis.length == 0) {
			return;
		}
		if (this.counts == null) {
			this.boundsMillis = boundsMillis;
			this.counts = new double[counts.length];
		}
		// every meshgate.requests timer has the same buckets; a differing one adds no latency
		if (this.counts.length == counts.length) {
			for (int i = 0; i < counts.length; i++) {
				this.counts[i] += counts[i];
			}
		}
	}

	long requests() {
		return requests;
	}

	long errors() {
		return errors;
	}

	double errorShare() {
		return requests == 0 ? 0 : (double) errors / requests;
	}

	/**
	 * The latency under which the share {@code q} of the window's requests finished, in
	 * milliseconds; {@code null} without requests or buckets. Past the last bucket it is that
	 * bucket's bound: the histogram knows no more.
	 */
	Double percentileMillis(double q) {
		if (counts == null || requests == 0) {
			return null;
		}
		// cumulative counts: counts[i] requests took at most boundsMillis[i]
		double rank = q * requests;
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] >= rank) {
				double lower = i == 0 ? 0 : boundsMillis[i - 1];
				double below = i == 0 ? 0 : counts[i - 1];
				double inBucket = counts[i] - below;
				return inBucket <= 0 ? boundsMillis[i] : lower + (boundsMillis[i] - lower) * (rank - below) / inBucket;
			}
		}
		return boundsMillis[boundsMillis.length - 1];
	}

	/** The JSON view over a window of {@code seconds}: rate per second, 5xx share (0-1), p50 and p99. */
	Map<String, Object> view(double seconds) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("requests", requests);
		view.put("rate", seconds > 0 ? round(requests / seconds) : 0.0);
		view.put("errorShare", round(errorShare()));
		view.put("p50Ms", rounded(percentileMillis(0.50)));
		view.put("p99Ms", rounded(percentileMillis(0.99)));
		return view;
	}

	static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

	private static Double rounded(Double value) {
		return value == null ? null : round(value);
	}

}
