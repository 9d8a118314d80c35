package io.meshgate.policy.mirror.compare;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.meshgate.policy.observe.Masking;

/**
 * What one route's mirror comparisons found: how often the shadow matched the primary, at which
 * paths they differed most, and the latest differing pairs, masked.
 *
 * <p><b>Noise cancellation</b> (Diffy's): where a second copy of the request went to another
 * instance of the primary's version, the paths at which the two primaries differ are noise
 * (timestamps, ids, random order). A path is noise once the primaries differ there at least half
 * as often as the primary and the shadow do; a comparison whose differences are all noise is a
 * match, and noise paths are not among the top differences.
 *
 * <p>Memory is bounded: at most {@value #MAX_PATHS} distinct paths are counted (the rest as
 * {@value #OTHER}), and {@code samples} pairs are kept. Thread-safe.
 */
public final class ShadowComparisons {

	static final int MAX_PATHS = 1000;

	static final String OTHER = "(other paths)";

	/** The longest body excerpt a kept pair shows. */
	static final int EXCERPT = 2048;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int samples;

	private long comparisons;

	private long matches;

	private long noiseComparisons;

	private final Map<String, long[]> differences = new HashMap<>();

	private final Map<String, long[]> noise = new HashMap<>();

	private final Deque<Pair> latest = new ArrayDeque<>();

	/** A differing pair as shown: when, where they differed, and both answers masked. */
	public record Pair(Instant time, List<String> paths, Shown primary, Shown shadow) {

	}

	/** An answer as shown: status, compared headers (secret ones masked), body excerpt (masked). */
	public record Shown(int status, Map<String, String> headers, String body) {

	}

	/** The findings so far: match rate, top differing paths with counts, latest pairs. */
	public record Findings(long comparisons, long matches, double matchRate, Map<String, Long> topPaths,
			List<Pair> latest) {

	}

	public ShadowComparisons(ComparePolicy policy) {
		this.samples = policy.samples();
	}

	/**
	 * Records one comparison.
	 * @param differing where the shadow differs from the primary
	 * @param primaryNoise where a second primary differs from the primary, or null when no second
	 * primary answered this request
	 * @return whether the shadow matched: no difference, or only noise
	 */
	public synchronized boolean record(Instant time, Set<String> differing, Set<String> primaryNoise, Answer primary,
			Answer shadow) {
		comparisons++;
		differing.forEach(path -> count(differences, path));
		if (primaryNoise != null) {
			noiseComparisons++;
			primaryNoise.forEach(path -> count(noise, path));
		}
		List<String> real = differing.stream().filter(path -> !isNoise(path)).toList();
		if (real.isEmpty()) {
			matches++;
			return true;
		}
		if (samples > 0) {
			latest.addFirst(new Pair(time, real, shown(primary), shown(shadow)));
			while (latest.size() > samples) {
				latest.removeLast();
			}
		}
		return false;
	}

	public synchronized Findings findings(int top) {
		Map<String, Long> topPaths = new LinkedHashMap<>();
		differences.entrySet().stream()
			.filter(e -> !isNoise(e.getKey()))
			.sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
				.thenComparing(Map.Entry::getKey))
			.limit(top)
			.forEach(e -> topPaths.put(e.getKey(), e.getValue()[0]));
		return new Findings(comparisons, matches, comparisons == 0 ? 1 : (double) matches / comparisons, topPaths,
				List.copyOf(latest));
	}

	private boolean isNoise(String path) {
		long[] seen = noise.get(path);
		if (seen == null || noiseComparisons == 0) {
			return false;
		}
		double noiseRate = (double) seen[0] / noiseComparisons;
		double differenceRate = (double) differences.getOrDefault(path, new long[1])[0] / comparisons;
		return noiseRate >= differenceRate / 2;
	}

	private static void count(Map<String, long[]> counts, String path) {
		String key = counts.containsKey(path) || counts.size() < MAX_PATHS ? path : OTHER;
		counts.computeIfAbsent(key, k -> new long[1])[0]++;
	}

	private static Shown shown(Answer answer) {
		return new Shown(answer.status(), Masking.headers(answer.headers()), excerpt(answer.body()));
	}

	/** The body as JSON with secret members masked, or its text; cut at {@value #EXCERPT} characters. */
	static String excerpt(byte[] body) {
		String text;
		try {
			Object tree = JSON.readValue(body, Object.class);
			text = JSON.writeValueAsString(Masking.tree(tree));
		}
		catch (JacksonException ex) {
			// not JSON: shown as text only when short, since nothing in it can be told secret or not
			text = body.length == 0 ? "" : "(" + body.length + " bytes, not JSON)";
		}
		return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
	}

}
