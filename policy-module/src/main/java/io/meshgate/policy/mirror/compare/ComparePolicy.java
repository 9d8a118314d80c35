package io.meshgate.policy.mirror.compare;

import java.util.List;
import java.util.Locale;

import io.meshgate.policy.schema.Example;

/**
 * Whether and how a mirror's answers are compared with the primary's:
 * {@code compare: {headers: [content-type], body: JSON, ignore: ["$.id", "$.items[*].updatedAt"]}}.
 *
 * @param status compare the status codes; default true
 * @param headers the response headers compared, by name (any case); default none
 * @param body how bodies are compared: {@code NONE}, {@code EXACT} (byte for byte) or {@code JSON}
 * (as JSON values: key order and white space do not matter, {@code ignore} applies); default JSON
 * @param ignore JSON paths whose values are not compared (timestamps, ids): {@code $.a.b},
 * {@code $.items[*].at}, {@code $.*.id}; only with body JSON; default none
 * @param samples how many of the latest differing pairs are kept to be shown, 0-100; default 10
 * @param secondary an upstream running the primary's version, sent a second copy so that the
 * paths where two primaries differ (timestamps, ids) are known as noise; default none: every
 * difference counts
 */
public record ComparePolicy(Boolean status, List<String> headers, BodyComparison body, List<String> ignore,
		Integer samples, @Example("orders-v1-b") String secondary) {

	public enum BodyComparison {
		NONE, EXACT, JSON
	}

	public ComparePolicy {
		status = status == null || status;
		headers = headers == null ? List.of()
				: headers.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).distinct().toList();
		body = body == null ? BodyComparison.JSON : body;
		ignore = ignore == null ? List.of() : List.copyOf(ignore);
		if (!ignore.isEmpty() && body != BodyComparison.JSON) {
			throw new IllegalArgumentException("ignore: " + ignore + " (expected: none unless body is JSON)");
		}
		for (int i = 0; i < ignore.size(); i++) {
			JsonPath.parse("ignore[" + i + "]", ignore.get(i));
		}
		samples = samples == null ? 10 : samples;
		if (samples < 0 || samples > 100) {
			throw new IllegalArgumentException("samples: " + samples + " (expected: 0-100)");
		}
		secondary = secondary == null || secondary.isBlank() ? null : secondary.trim();
	}

	public static final ComparePolicy DEFAULT = new ComparePolicy(null, null, null, null, null, null);

	/** The ignored paths, parsed. */
	List<JsonPath> ignoredPaths() {
		return ignore.stream().map(path -> JsonPath.parse("ignore", path)).toList();
	}

}
