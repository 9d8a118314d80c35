package io.meshgate.admin.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream's health as the admin UI shows it, from everything the gateway knows: the active
 * checks' verdicts, the outlier detector's ejections, the breaker, and the share of 5xx answers in
 * the recent window. An upstream whose endpoints all pass their checks but whose answers are 5xx
 * is not healthy: its traffic says so.
 *
 * @param verdict {@code ok}, {@code degraded} (some capacity lost, some errors), {@code failing}
 * (most answers fail, or the breaker is open) or {@code down} (no endpoint may be called)
 * @param reasons why, in words, most serious first; empty when {@code ok}
 */
record UpstreamVerdict(String verdict, List<String> reasons) {

	/** Answers in the window below which an error share says too little to fail an upstream. */
	static final int MIN_ANSWERS = 3;

	/** The 5xx share at and above which an upstream is failing. */
	static final double FAILING_SHARE = 0.5;

	/** The 5xx share at and above which an upstream is degraded. */
	static final double DEGRADED_SHARE = 0.05;

	/**
	 * @param endpoints how many endpoints the upstream has
	 * @param down endpoints the active health check took out
	 * @param ejected endpoints outlier detection ejected (and the check did not take out)
	 * @param breaker the breaker's state in lower case, or {@code none}
	 * @param traffic the upstream's answers in the window
	 * @param seconds the window's length
	 */
	static UpstreamVerdict of(int endpoints, int down, int ejected, String breaker, TrafficStats traffic,
			double seconds) {
		List<String> failing = new ArrayList<>();
		List<String> degraded = new ArrayList<>();
		int serving = endpoints - down - ejected;
		if (endpoints == 0) {
			return new UpstreamVerdict("down", List.of("no endpoints"));
		}
		if (serving <= 0) {
			return new UpstreamVerdict("down", List.of("no endpoint serving: " + taken(down, ejected, endpoints)));
		}
		if ("open".equals(breaker) || "forced_open".equals(breaker)) {
			failing.add("breaker open");
		}
		else if ("half_open".equals(breaker)) {
			degraded.add("breaker half open");
		}
		if (serving < endpoints) {
			degraded.add(taken(down, ejected, endpoints));
		}
		double share = traffic.errorShare();
		if (traffic.errors() > 0 && share >= DEGRADED_SHARE) {
			String errors = percent(share) + " of " + traffic.requests() + " answers 5xx in the last "
					+ Math.round(seconds) + " s";
			(traffic.requests() >= MIN_ANSWERS && share >= FAILING_SHARE ? failing : degraded).add(errors);
		}
		List<String> reasons = new ArrayList<>(failing);
		reasons.addAll(degraded);
		return new UpstreamVerdict(!failing.isEmpty() ? "failing" : !degraded.isEmpty() ? "degraded" : "ok",
				List.copyOf(reasons));
	}

	private static String taken(int down, int ejected, int endpoints) {
		List<String> parts = new ArrayList<>();
		if (down > 0) {
			parts.add(down + " of " + endpoints + " down by health check");
		}
		if (ejected > 0) {
			parts.add(ejected + " of " + endpoints + " ejected");
		}
		return String.join(", ", parts);
	}

	private static String percent(double share) {
		return String.format(Locale.ROOT, "%.0f %%", share * 100);
	}

	Map<String, Object> view() {
		return Map.of("verdict", verdict, "reasons", reasons);
	}

}
