package io.meshgate.policy.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A principal as Istio's {@code principals} write it: exact
 * ({@code spiffe://cluster.local/ns/shop/sa/web}), a prefix ({@code spiffe://cluster.local/ns/shop/*}),
 * a suffix ({@code *.shop.example.com}, for DNS names), or {@code *} for any verified principal. Case-sensitive, no other
 * wildcards; compared with the principal as the peer identity carries it
 * ({@link PeerIdentity#principal()}, the full URI with its {@code spiffe://}).
 */
public final class PrincipalPattern {

	private static final String EXPECTED = "a principal, a prefix ending in *, a suffix starting with *, or *";

	private PrincipalPattern() {
	}

	/** A test of principals against {@code pattern}; throws {@code field: pattern (expected: …)} when invalid. */
	public static Predicate<String> of(String field, String pattern) {
		if (pattern == null || pattern.isBlank() || !pattern.strip().equals(pattern)) {
			throw new IllegalArgumentException(field + ": " + pattern + " (expected: " + EXPECTED + ")");
		}
		if (pattern.equals("*")) {
			return principal -> true;
		}
		int star = pattern.indexOf('*');
		if (star < 0) {
			return pattern::equals;
		}
		if (star != pattern.lastIndexOf('*') || (star != 0 && star != pattern.length() - 1)) {
			throw new IllegalArgumentException(field + ": " + pattern + " (expected: " + EXPECTED + ")");
		}
		String fixed = star == 0 ? pattern.substring(1) : pattern.substring(0, star);
		return star == 0 ? principal -> principal.endsWith(fixed) : principal -> principal.startsWith(fixed);
	}

	/** A test that passes a principal matching one of {@code patterns}, each checked as {@link #of}. */
	public static Predicate<String> anyOf(String field, List<String> patterns) {
		List<Predicate<String>> tests = new ArrayList<>(patterns.size());
		for (int i = 0; i < patterns.size(); i++) {
			tests.add(of(field + "[" + i + "]", patterns.get(i)));
		}
		if (tests.size() == 1) {
			return tests.get(0);
		}
		@SuppressWarnings("unchecked")
		Predicate<String>[] array = tests.toArray(Predicate[]::new);
		return principal -> {
			for (Predicate<String> test : array) {
				if (test.test(principal)) {
					return true;
				}
			}
			return false;
		};
	}

}
