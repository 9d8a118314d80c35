package io.meshgate.policy.mirror.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One side's answer to a request, as compared: its status, the compared headers (names in lower
 * case, repeated values joined by ", "), and its body, complete or cut at the mirror's body limit.
 *
 * @param status the status code, or 0 when no answer came
 * @param headers the compared headers' values by lower-case name
 * @param body the body read, at most the mirror's {@code maxBodySize}
 * @param complete whether {@code body} is the whole body
 */
public record Answer(int status, Map<String, String> headers, byte[] body, boolean complete) {

	public Answer {
		headers = Map.copyOf(headers);
		body = body == null ? new byte[0] : body;
	}

	/** The compared headers of {@code all} (name to values, any case). */
	public static Map<String, String> compared(ComparePolicy policy, Map<String, List<String>> all) {
		Map<String, String> kept = new TreeMap<>();
		all.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (policy.headers().contains(lower)) {
				kept.merge(lower, String.join(", ", values), (a, b) -> a + ", " + b);
			}
		});
		return kept;
	}

}
