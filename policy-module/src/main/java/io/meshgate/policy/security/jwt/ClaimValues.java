package io.meshgate.policy.security.jwt;

import java.util.List;
import java.util.Map;

/** Reading claims for headers: a dotted name walks nested objects; only plain values become text. */
final class ClaimValues {

	/** A header value longer than this is not set: no proxy or upstream expects one. */
	static final int MAX_HEADER_VALUE = 4096;

	private ClaimValues() {
	}

	/** The claim {@code name} ({@code realm.role}: {@code role} of the object {@code realm}); {@code null} if absent. */
	static Object find(Map<String, Object> claims, String name) {
		Object direct = claims.get(name);
		if (direct != null || name.indexOf('.') < 0) {
			return direct;
		}
		Object current = claims;
		for (String part : name.split("\\.", -1)) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(part);
		}
		return current;
	}

	/**
	 * The header text of a claim value: a string, number or boolean as it is, a list of them joined
	 * with commas; {@code null} for objects, empty values, values with control characters (which
	 * could split a header) and values over {@link #MAX_HEADER_VALUE}.
	 */
	static String headerValue(Object value) {
		String text;
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			text = String.valueOf(value);
		}
		else if (value instanceof List<?> list && !list.isEmpty()) {
			StringBuilder joined = new StringBuilder();
			for (Object item : list) {
				if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
					return null;
				}
				joined.append(joined.isEmpty() ? "" : ",").append(item);
			}
			text = joined.toString();
		}
		else {
			return null;
		}
		if (text.isEmpty() || text.length() > MAX_HEADER_VALUE) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 && c != '\t' || c == 0x7f) {
				return null;
			}
		}
		return text;
	}

}
