package io.meshgate.policy.security;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A claim of the verified token ({@link Identity#claims()}), named as Istio names it in
 * {@code request.auth.claims}: {@code tier}, or {@code realm.roles} for the member {@code roles}
 * of the object claim {@code realm} (Keycloak's realm roles). A name holding dots that is itself a
 * top-level claim ({@code https://example.com/roles}, a namespaced claim) is that claim: the whole
 * name is looked up first, then the path. Parsed once, when a route is built.
 *
 * <p>A claim's value is read as text: a string as it is, a boolean as {@code true} or
 * {@code false}, a number in plain decimal without trailing zeros ({@code 3}, {@code 2.5}). An
 * array matches when one of its elements does (as Istio's claims do); an object, an array inside
 * an array and {@code null} never match.
 */
public final class ClaimPath {

	private static final String EXPECTED = "a claim name, or a path of names separated by dots, as realm.roles";

	private final String name;

	private ClaimPath(String name) {
		this.name = name;
	}

	/**
	 * The claim {@code name}; throws {@code field: name (expected: …)} for a blank name or one with
	 * surrounding white space.
	 */
	public static ClaimPath of(String field, String name) {
		if (name == null || name.isBlank() || !name.strip().equals(name)) {
			throw new IllegalArgumentException(field + ": " + name + " (expected: " + EXPECTED + ")");
		}
		return new ClaimPath(name);
	}

	public String name() {
		return name;
	}

	/**
	 * The claim's value in {@code claims} (a JSON value), or {@code null} when it has none. Walks a
	 * path only when no top-level claim has the whole name: a plain name costs one map lookup.
	 */
	public Object find(Map<String, Object> claims) {
		Object whole = claims.get(name);
		int dot = name.indexOf('.');
		if (whole != null || dot < 0) {
			return whole;
		}
		Object value = claims;
		int start = 0;
		while (value instanceof Map<?, ?> object) {
			value = object.get(name.substring(start, dot < 0 ? name.length() : dot));
			if (dot < 0) {
				return value;
			}
			start = dot + 1;
			dot = name.indexOf('.', start);
		}
		return null;
	}

	/** Whether the claim's text, or the text of one element when it is an array, passes {@code test}. */
	public boolean anyMatches(Map<String, Object> claims, Predicate<String> test) {
		Object value = find(claims);
		if (value instanceof List<?> elements) {
			for (Object element : elements) {
				String text = text(element);
				if (text != null && test.test(text)) {
					return true;
				}
			}
			return false;
		}
		String text = text(value);
		return text != null && test.test(text);
	}

	/**
	 * The claim as one key (stickiness, rate limiting): its text; for an array, its elements' texts
	 * joined by commas; {@code null} when it has none or is an object.
	 */
	public String key(Map<String, Object> claims) {
		Object value = find(claims);
		if (!(value instanceof List<?> elements)) {
			return text(value);
		}
		StringBuilder key = new StringBuilder();
		for (Object element : elements) {
			String text = text(element);
			if (text == null) {
				return null;
			}
			key.append(key.isEmpty() ? "" : ",").append(text);
		}
		return key.toString();
	}

	/** A scalar JSON value as text; {@code null} for null, objects and arrays. */
	static String text(Object value) {
		if (value instanceof String text) {
			return text;
		}
		if (value instanceof Boolean || value instanceof Long || value instanceof Integer || value instanceof Short
				|| value instanceof Byte || value instanceof BigInteger) {
			return value.toString();
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			return Double.isFinite(number) ? plain(BigDecimal.valueOf(number)) : null;
		}
		if (value instanceof BigDecimal decimal) {
			return plain(decimal);
		}
		return null;
	}

	private static String plain(BigDecimal number) {
		return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
	}

	@Override
	public String toString() {
		return name;
	}

}
