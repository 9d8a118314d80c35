package io.meshgate.policy.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for what is secret in what Meshgate shows (admin API, export, history diffs,
 * actuator endpoints, logs): such values are shown as {@link #MASK}.
 * <ul>
 * <li>policy fields whose name ends in {@code password}, {@code passphrase}, {@code secret},
 * {@code token} or {@code credentials}, and any value holding an inline PEM private key;</li>
 * <li>header values (what a route sets or adds, what it matches on) of {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}, and of every header whose
 * name contains {@code token}, {@code secret}, {@code key} or {@code password}, case-insensitive.</li>
 * </ul>
 * The header rule applies to header names only (keys of the maps under {@link #HEADER_MAPS}, and
 * Spring Cloud Gateway's {@code set[Name]} arguments): a field such as {@code keyOn} or
 * {@code privateKey} (a file path) stays visible. Nothing here runs per request.
 */
public final class Masking {

	public static final String MASK = "******";

	/** The fields whose map holds header names and values: a header modifier's, a match's. */
	private static final Set<String> HEADER_MAPS = Set.of("set", "add", "headers");

	private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
			"set-cookie");

	private static final List<String> SECRET_HEADER_WORDS = List.of("token", "secret", "key", "password");

	private static final List<String> SECRET_FIELD_ENDINGS = List.of("password", "passphrase", "secret", "token",
			"credentials");

	private Masking() {
	}

	/** Whether the value of header {@code name} is hidden. */
	public static boolean secretHeader(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (SECRET_HEADERS.contains(lower)) {
			return true;
		}
		for (String word : SECRET_HEADER_WORDS) {
			if (lower.contains(word)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the value of policy field {@code name} is hidden. */
	public static boolean secretField(String name, Object value) {
		if (!(value instanceof String text)) {
			return false;
		}
		String lower = name.toLowerCase(Locale.ROOT);
		for (String ending : SECRET_FIELD_ENDINGS) {
			if (lower.endsWith(ending)) {
				return true;
			}
		}
		return text.contains("-----BEGIN") && text.contains("PRIVATE KEY");
	}

	/** A copy of {@code headers} (name to value) with the secret values masked. */
	public static Map<String, String> headers(Map<String, String> headers) {
		Map<String, String> masked = new LinkedHashMap<>();
		headers.forEach((name, value) -> masked.put(name, secretHeader(name) ? MASK : value));
		return masked;
	}

	/**
	 * A copy of a configuration tree (maps, lists and plain values, as parsed from JSON or YAML)
	 * with every secret value masked: secret fields everywhere, secret headers in header maps.
	 */
	public static Object tree(Object tree) {
		return tree(tree, false);
	}

	private static Object tree(Object tree, boolean headerMap) {
		if (tree instanceof Map<?, ?> map) {
			Map<String, Object> masked = new LinkedHashMap<>();
			map.forEach((key, value) -> {
				String name = String.valueOf(key);
				boolean secret = secretField(name, value)
						|| headerMap && value instanceof String && secretHeader(name);
				masked.put(name, secret ? MASK : tree(value, HEADER_MAPS.contains(name)));
			});
			return masked;
		}
		if (tree instanceof List<?> list) {
			List<Object> masked = new ArrayList<>(list.size());
			list.forEach(item -> masked.add(tree(item, false)));
			return masked;
		}
		return tree;
	}

	/**
	 * Spring Cloud Gateway filter or predicate arguments with the secret values masked: the
	 * header modifiers' {@code set[Name]} and {@code add[Name]}, a {@code Header} predicate's
	 * {@code regexp} for a secret {@code header}, and secret fields.
	 */
	public static Map<String, String> arguments(Map<String, String> args) {
		Map<String, String> masked = new LinkedHashMap<>();
		String header = args.get("header");
		boolean secretPredicate = header != null && secretHeader(header);
		args.forEach((key, value) -> {
			int open = key.indexOf('[');
			boolean secret = secretField(key, value)
					|| open > 0 && key.endsWith("]") && secretHeader(key.substring(open + 1, key.length() - 1))
					|| secretPredicate && key.equals("regexp");
			masked.put(key, secret ? MASK : value);
		});
		return masked;
	}

}
