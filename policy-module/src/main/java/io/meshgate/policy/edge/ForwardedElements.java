package io.meshgate.policy.edge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 7239 {@code Forwarded} values as a list of elements (one per proxy, left to right), each a
 * map of lowercase parameter names to values with quotes removed. Commas and semicolons inside
 * quoted strings do not split. Read only for requests from trusted proxies.
 */
final class ForwardedElements {

	private ForwardedElements() {
	}

	/** The elements of all lines in order; the caller bounds their length. */
	static List<Map<String, String>> parse(List<String> values) {
		if (values == null || values.isEmpty()) {
			return List.of();
		}
		List<Map<String, String>> elements = new ArrayList<>();
		for (String value : values) {
			parse(value, elements);
		}
		return elements;
	}

	private static void parse(String value, List<Map<String, String>> elements) {
		Map<String, String> element = new HashMap<>();
		StringBuilder name = new StringBuilder();
		StringBuilder text = new StringBuilder();
		boolean inValue = false;
		boolean quoted = false;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (quoted) {
				if (c == '\\' && i + 1 < value.length()) {
					text.append(value.charAt(++i));
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					text.append(c);
				}
			}
			else if (c == '"' && inValue) {
				quoted = true;
			}
			else if (c == '=' && !inValue) {
				inValue = true;
			}
			else if (c == ';' || c == ',') {
				put(element, name, text);
				inValue = false;
				if (c == ',') {
					elements.add(element);
					element = new HashMap<>();
				}
			}
			else if (c != ' ' && c != '\t') {
				(inValue ? text : name).append(c);
			}
		}
		put(element, name, text);
		elements.add(element);
	}

	private static void put(Map<String, String> element, StringBuilder name, StringBuilder value) {
		if (!name.isEmpty()) {
			// a parameter twice in one element (RFC 7239 forbids it) is no value at all: the walk stops there
			element.merge(name.toString().toLowerCase(Locale.ROOT), value.toString(), (first, again) -> "");
		}
		name.setLength(0);
		value.setLength(0);
	}

}
