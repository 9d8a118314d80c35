package io.meshgate.admin.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.mirror.compare.ShadowComparisons;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;

/**
 * A running route's mirrors as the admin UI compares them side by side
 * ({@code GET /api/traffic/comparisons?route=ID}): for each mirror, whether its answers are
 * compared, and what the comparison found so far (match rate, the most frequent differing JSON
 * paths with counts, the latest differing pairs). Bodies and headers come masked from
 * {@link ShadowComparisons}, with the same rule as everywhere else; nothing here unmasks.
 */
final class MirrorFindings {

	/** The differing paths listed per mirror, most frequent first. */
	static final int TOP_PATHS = 10;

	private final MirrorComparisons comparisons;

	private final Supplier<MeshConfig> running;

	/**
	 * @param comparisons every route's mirror comparisons; {@code null} when the gateway keeps none
	 * @param running the running configuration, whose routes' mirrors are shown
	 */
	MirrorFindings(MirrorComparisons comparisons, Supplier<MeshConfig> running) {
		this.comparisons = comparisons;
		this.running = running;
	}

	/** The route's mirrors with their findings; empty when no route of that id runs. */
	Optional<Map<String, Object>> route(String id) {
		Optional<Route> route = running.get().routes().stream().filter(r -> r.id().equals(id)).findFirst();
		return route.map(r -> {
			List<Map<String, Object>> mirrors = new ArrayList<>();
			for (MirrorPolicy mirror : r.mirrors()) {
				mirrors.add(mirror(r, mirror));
			}
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("route", r.id());
			view.put("mirrors", mirrors);
			return view;
		});
	}

	private Map<String, Object> mirror(Route route, MirrorPolicy mirror) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("upstream", mirror.upstream());
		view.put("compared", mirror.compare() != null);
		ShadowComparisons.Findings findings = comparisons == null || mirror.compare() == null ? null
				: comparisons.findings(route.id(), mirror.upstream(), TOP_PATHS);
		view.put("comparisons", findings == null ? 0 : findings.comparisons());
		view.put("matches", findings == null ? 0 : findings.matches());
		view.put("matchRate", findings == null || findings.comparisons() == 0 ? null : findings.matchRate());
		List<Map<String, Object>> paths = new ArrayList<>();
		if (findings != null) {
			findings.topPaths().forEach((path, count) -> paths.add(Map.of("path", path, "count", count)));
		}
		view.put("topPaths", paths);
		view.put("latest", findings == null ? List.of() : findings.latest().stream().map(MirrorFindings::pair).toList());
		return view;
	}

	private static Map<String, Object> pair(ShadowComparisons.Pair pair) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("time", pair.time().toString());
		view.put("paths", pair.paths());
		view.put("primary", answer(pair.primary()));
		view.put("shadow", answer(pair.shadow()));
		return view;
	}

	private static Map<String, Object> answer(ShadowComparisons.Shown shown) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("status", shown.status());
		view.put("headers", shown.headers());
		view.put("body", shown.body());
		return view;
	}

}
