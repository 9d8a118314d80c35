package io.meshgate.policy.mirror.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JSON path of the small form the comparison ignores values by: {@code $}, then {@code .name}
 * (or {@code .*}, any member) and {@code [n]} (or {@code [*]}, any element) steps. The paths a
 * difference is reported at are written the same way, with concrete names and indexes.
 */
record JsonPath(List<String> steps) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$-]+|\\*");

	private static final Pattern INDEX = Pattern.compile("\\d{1,9}|\\*");

	/** The path {@code text}, or an error naming {@code field}. */
	static JsonPath parse(String field, String text) {
		String expected = " (expected: a path such as $.items[*].updatedAt: $, then .name, .*, [n] or [*] steps)";
		if (text == null || !text.startsWith("$") || text.length() > 256) {
			throw new IllegalArgumentException(field + ": " + text + expected);
		}
		List<String> steps = new ArrayList<>();
		int i = 1;
		while (i < text.length()) {
			char c = text.charAt(i);
			int end;
			if (c == '.') {
				end = i + 1;
				while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
					end++;
				}
				String name = text.substring(i + 1, end);
				if (!NAME.matcher(name).matches()) {
					throw new IllegalArgumentException(field + ": " + text + expected);
				}
				steps.add("." + name);
				i = end;
			}
			else if (c == '[') {
				end = text.indexOf(']', i);
				if (end < 0 || !INDEX.matcher(text.substring(i + 1, end)).matches()) {
					throw new IllegalArgumentException(field + ": " + text + expected);
				}
				steps.add(text.substring(i, end + 1));
				i = end + 1;
			}
			else {
				throw new IllegalArgumentException(field + ": " + text + expected);
			}
		}
		return new JsonPath(List.copyOf(steps));
	}

	/** Whether this pattern covers the concrete path {@code path} or a path below it. */
	boolean covers(List<String> path) {
		if (path.size() < steps.size()) {
			return false;
		}
		for (int i = 0; i < steps.size(); i++) {
			String pattern = steps.get(i);
			String step = path.get(i);
			boolean any = pattern.equals(".*") ? step.startsWith(".") : pattern.equals("[*]") && step.startsWith("[");
			if (!any && !pattern.equals(step)) {
				return false;
			}
		}
		return true;
	}

	static String text(List<String> path) {
		return "$" + String.join("", path);
	}

}
