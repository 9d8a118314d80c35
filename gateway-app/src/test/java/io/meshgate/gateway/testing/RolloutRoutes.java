package io.meshgate.gateway.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout route of the rollout tests, as the admin API takes it: {@code shop} on
 * {@code /shop/**}, baseline {@code v1}, canary {@code v2}, clients sticky on {@link #USER_HEADER},
 * and steps short enough for a test (1 s, looked at every second, 20 canary requests each).
 */
public final class RolloutRoutes {

	public static final String USER_HEADER = "x-user";

	private RolloutRoutes() {
	}

	/** The summaries of the admin API's history, newest first. */
	@SuppressWarnings("unchecked")
	public static List<String> summaries(AdminClient admin) {
		List<Map<String, Object>> history = (List<Map<String, Object>>) admin.get("/api/history").json().get("history");
		return history.stream().map(entry -> (String) entry.get("summary")).toList();
	}

	/** The route with {@code steps}; {@code overrides} replace or add fields of its rollout. */
	public static Map<String, Object> shop(List<Double> steps, Map<String, Object> overrides) {
		Map<String, Object> rollout = new LinkedHashMap<>();
		rollout.put("steps", steps);
		rollout.put("stepDuration", "1s");
		rollout.put("checkInterval", "1s");
		rollout.put("maxStepDuration", "1m");
		rollout.put("minRequests", 20);
		// the build machine's latency noise is not the canary's: these tests are about errors and
		// steps (StepJudgeTest covers the latency gate)
		rollout.put("maxLatencyRatio", 20);
		rollout.putAll(overrides);
		return shopWith(rollout);
	}

	/**
	 * The route with {@code rollout} as given: the gates' settings it leaves out take their
	 * defaults.
	 */
	public static Map<String, Object> shopWith(Map<String, Object> rollout) {
		Map<String, Object> route = new LinkedHashMap<>();
		route.put("id", "shop");
		route.put("match", Map.of("path", "/shop/**"));
		route.put("backends", List.of(Map.of("upstream", "v1", "weight", 100), Map.of("upstream", "v2", "weight", 0)));
		route.put("canary", Map.of("stickyOn", "header:" + USER_HEADER, "rollout", rollout));
		return route;
	}

}
