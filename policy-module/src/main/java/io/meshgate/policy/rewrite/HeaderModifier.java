package io.meshgate.policy.rewrite;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;

import io.meshgate.policy.observe.Masking;

/**
 * Changes to the headers of a request on its way to the upstream, or of a response on its way to
 * the client, as Gateway API's {@code HTTPHeaderFilter}:
 * {@code {set: {x-env: prod}, add: {x-via: meshgate}, remove: [x-debug]}}. Header names are
 * case-insensitive; {@code remove} goes first, then {@code set}, then {@code add}.
 *
 * @param set headers to give exactly this value, replacing any the message has; default none
 * @param add values to append to a header, keeping those the message has; default none
 * @param remove headers to delete; default none
 */
public record HeaderModifier(Map<String, String> set, Map<String, String> add, List<String> remove) {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	public HeaderModifier {
		set = values("set", set);
		add = values("add", add);
		remove = remove == null ? List.of() : List.copyOf(remove);
		for (int i = 0; i < remove.size(); i++) {
			name("remove[" + i + "]", remove.get(i));
		}
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	public static HeaderModifier set(String name, String value) {
		return new HeaderModifier(Map.of(name, value), null, null);
	}

	public boolean isEmpty() {
		return set.isEmpty() && add.isEmpty() && remove.isEmpty();
	}

	/**
	 * As the record prints itself, with secret header values masked ({@link Masking}): this is
	 * what the actuator's route list and any log line show of the filter.
	 */
	@Override
	public String toString() {
		return "HeaderModifier[set=" + Masking.headers(set) + ", add=" + Masking.headers(add) + ", remove=" + remove
				+ "]";
	}

	/** Applies the changes to {@code headers}, which must be writable. */
	public void applyTo(HttpHeaders headers) {
		remove.forEach(headers::remove);
		set.forEach(headers::set);
		add.forEach(headers::add);
	}

	private static Map<String, String> values(String field, Map<String, String> values) {
		if (values == null || values.isEmpty()) {
			return Map.of();
		}
		Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		values.forEach((name, value) -> {
			name(field, name);
			if (!seen.add(name)) {
				throw new IllegalArgumentException(
						field + ": " + name + " (expected: each header once; names are case-insensitive)");
			}
			if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
				throw new IllegalArgumentException(field + "." + name + ": " + (value == null ? null : value.strip())
						+ " (expected: a header value on one line)");
			}
			if (value.startsWith("#{") && value.endsWith("}")) {
				throw new IllegalArgumentException(field + "." + name + ": " + value
						+ " (expected: a literal value, not #{...}, which Spring Cloud Gateway would evaluate as an expression)");
			}
		});
		return Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	private static void name(String field, String name) {
		if (name == null || !TOKEN.matcher(name).matches()) {
			throw new IllegalArgumentException(field + ": " + name + " (expected: a header name)");
		}
		if (name.equalsIgnoreCase("host")) {
			throw new IllegalArgumentException(field + ": " + name + " (expected: a header other than Host; "
					+ "rewrite.hostname sets the Host an upstream sees)");
		}
	}

}
