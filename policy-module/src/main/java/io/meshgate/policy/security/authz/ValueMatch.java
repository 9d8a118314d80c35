package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import io.meshgate.policy.edge.PathNormalization;
import io.meshgate.policy.edge.PathNormalizer;

/**
 * One value of a policy field as Istio reads it: {@code abc} exactly, {@code abc*} as a prefix,
 * {@code *abc} as a suffix, {@code *} for any non-empty value. Built once when a policy is
 * compiled; matching is a comparison of characters, never a regular expression. The static
 * methods check a field's values where its record is built, each bad value reported as
 * {@code field[i]: value (expected: …)}.
 */
final class ValueMatch {

	private static final String EXPECTED = "a value, a prefix as in abc*, a suffix as in *abc, or * for any";

	/** The edge's path normalization, less what its settings may leave in request paths (as route paths are checked). */
	private static final PathNormalizer LITERALS = new PathNormalizer(new PathNormalization(false,
			PathNormalization.EscapedSlashes.KEEP, PathNormalization.PathParameters.STRIP));

	// kinds as plain ints: an enum switch reads a lookup array on every match
	private static final int EXACT = 0;

	private static final int PREFIX = 1;

	private static final int SUFFIX = 2;

	private static final int PRESENT = 3;

	private final int kind;

	private final String text;

	private ValueMatch(int kind, String text) {
		this.kind = kind;
		this.text = text;
	}

	/** {@code value}, already checked by one of the static checks. */
	static ValueMatch of(String value) {
		if (value.equals("*")) {
			return new ValueMatch(PRESENT, "");
		}
		if (value.endsWith("*")) {
			return new ValueMatch(PREFIX, value.substring(0, value.length() - 1));
		}
		if (value.startsWith("*")) {
			return new ValueMatch(SUFFIX, value.substring(1));
		}
		return new ValueMatch(EXACT, value);
	}

	/** Whether {@code actual} matches; an absent ({@code null}) value never does. */
	boolean matches(String actual) {
		return actual != null && test(actual);
	}

	private boolean test(String actual) {
		if (kind == EXACT) {
			return actual.equals(text);
		}
		if (kind == PREFIX) {
			return actual.startsWith(text);
		}
		return kind == SUFFIX ? actual.endsWith(text) : !actual.isEmpty();
	}

	/** Whether one of {@code matches} matches {@code actual}; an absent value matches none. */
	static boolean any(ValueMatch[] matches, String actual) {
		if (actual == null) {
			return false;
		}
		for (ValueMatch match : matches) {
			if (match.test(actual)) {
				return true;
			}
		}
		return false;
	}

	static ValueMatch[] compile(List<String> values) {
		return values.stream().map(ValueMatch::of).toArray(ValueMatch[]::new);
	}

	@Override
	public String toString() {
		return kind == EXACT ? text : kind == PREFIX ? text + "*" : kind == SUFFIX ? "*" + text : "*";
	}

	// checks, each adding its errors to the list of the record being built

	/** Values of any text field: non-empty, {@code *} only first or last. */
	static List<String> values(String field, List<String> values, List<String> errors) {
		return checked(field, values, errors, value -> value, EXPECTED);
	}

	/** Host values, lower-cased: no port, which hosts are compared without. */
	static List<String> hosts(String field, List<String> hosts, List<String> errors) {
		return checked(field, hosts, errors, host -> {
			String normal = requestHost(host);
			return normal.equals(host.toLowerCase(Locale.ROOT)) ? normal : null;
		}, "a host without port or trailing dot, as in api.example.com, *.example.com, or * for any");
	}

	/** Method values: upper-case tokens, as requests carry them. */
	static List<String> methods(String field, List<String> methods, List<String> errors) {
		return checked(field, methods, errors,
				method -> method.replace("*", "").chars().allMatch(c -> c >= 'A' && c <= 'Z') ? method : null,
				"an HTTP method in upper case, as in GET");
	}

	/**
	 * Path values: in the normal form the edge gives request paths, or they could never match (a
	 * DENY of {@code /a/../admin} would deny nothing).
	 */
	static List<String> paths(String field, List<String> paths, List<String> errors) {
		return checked(field, paths, errors, path -> normalPath(path) ? path : null,
				"a path starting with / in the normal form request paths are matched in, as in /orders, a prefix as "
						+ "in /orders/*, a suffix as in *.json, or * for any");
	}

	/**
	 * The well-formed values of a field, each in the form {@code normal} gives it ({@code null}:
	 * refused); each refused one is reported as {@code field[i]: value (expected: …)}.
	 */
	private static List<String> checked(String field, List<String> values, List<String> errors,
			UnaryOperator<String> normal, String expected) {
		List<String> checked = new ArrayList<>();
		for (int i = 0; values != null && i < values.size(); i++) {
			String value = values.get(i);
			String accepted = wellFormed(value) ? normal.apply(value) : null;
			if (accepted == null) {
				errors.add(field + "[" + i + "]: " + value + " (expected: " + expected + ")");
			}
			else {
				checked.add(accepted);
			}
		}
		return List.copyOf(checked);
	}

	private static boolean normalPath(String path) {
		if (path.equals("*")) {
			return true;
		}
		// a suffix is checked as the end of a path; a prefix or exact path as a path of its own
		String literal = path.startsWith("*") ? "/x" + path.substring(1)
				: path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
		return literal.startsWith("/") && literal.equals(LITERALS.normalize(literal));
	}

	private static boolean wellFormed(String value) {
		if (value == null || value.isEmpty()) {
			return false;
		}
		if (value.equals("*")) {
			return true;
		}
		String inner = value.substring(value.startsWith("*") ? 1 : 0, value.length() - (value.endsWith("*") ? 1 : 0));
		return !inner.isEmpty() && inner.indexOf('*') < 0 && !(value.startsWith("*") && value.endsWith("*"));
	}

	/**
	 * A {@code Host} header as hosts are compared: lower case, without port and trailing dot
	 * ({@code API.example.com.:8443} is {@code api.example.com}), so that neither can slip past a
	 * DENY. The same string when nothing changes.
	 */
	static String requestHost(String host) {
		if (host == null) {
			return null;
		}
		int end = host.length();
		if (host.startsWith("[")) {
			int close = host.indexOf(']');
			end = close < 0 ? end : close + 1;
		}
		else {
			int colon = host.lastIndexOf(':');
			end = colon < 0 ? end : colon;
		}
		if (end > 0 && host.charAt(end - 1) == '.') {
			end--;
		}
		String bare = end == host.length() ? host : host.substring(0, end);
		return bare.toLowerCase(Locale.ROOT);
	}

}
