package io.meshgate.policy.mirror;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.mirror.compare.ShadowComparisons;

/**
 * The comparisons of every route's mirrors, by route and mirror upstream. They outlive the
 * route's filters, which are rebuilt at every configuration change, and start again when the
 * mirror's comparison settings change. At most {@value #MAX_MIRRORS} mirrors are compared; a
 * mirror beyond that is mirrored without comparison.
 */
public final class MirrorComparisons {

	static final int MAX_MIRRORS = 10_000;

	private record Entry(ComparePolicy policy, ShadowComparisons comparisons) {

	}

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	/** The comparisons of a route's mirror, or null when no more mirrors can be compared. */
	ShadowComparisons of(String route, String mirror, ComparePolicy policy) {
		String key = key(route, mirror);
		if (!entries.containsKey(key) && entries.size() >= MAX_MIRRORS) {
			return null;
		}
		return entries.compute(key, (k, entry) -> entry != null && entry.policy().equals(policy) ? entry
				: new Entry(policy, new ShadowComparisons(policy))).comparisons();
	}

	/** What a route's mirror found so far, or null when it compares nothing. */
	public ShadowComparisons.Findings findings(String route, String mirror, int top) {
		Entry entry = entries.get(key(route, mirror));
		return entry == null ? null : entry.comparisons().findings(top);
	}

	private static String key(String route, String mirror) {
		return route + '\n' + mirror;
	}

}
