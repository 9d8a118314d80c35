package io.meshgate.policy.route;

import java.util.function.Predicate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Every regular expression a user writes (route paths, header and query matches) is compiled
 * here, for RE2/J: matching takes time linear in the input whatever the pattern, so a pattern
 * such as {@code (.*a){12}} cannot stall an event loop, as it does on a backtracking engine. RE2
 * syntax is Envoy's; it has no backreferences and no lookaround.
 */
public final class LinearRegex {

	/** The characters RE2 gives a meaning outside a character class; every other one stands for itself. */
	private static final String SPECIAL = "\\.[]{}()*+?^$|";

	private LinearRegex() {
	}

	/**
	 * A test that {@code regex} matches a whole value; throws {@link IllegalArgumentException}
	 * ({@code field: regex (expected: …)}) when RE2 does not accept it. A regex without any
	 * special character ({@code beta}, {@code shop-frontend}) matches only itself: it is tested
	 * with {@code equals}, which costs no matcher per request.
	 */
	public static Predicate<String> wholeMatch(String field, String regex) {
		Pattern pattern = compile(field, regex);
		if (regex.chars().noneMatch(c -> SPECIAL.indexOf(c) >= 0)) {
			return regex::equals;
		}
		return value -> pattern.matches(value);
	}

	/** {@code regex} compiled; throws {@code field: regex (expected: …)} when RE2 does not accept it. */
	public static Pattern compile(String field, String regex) {
		if (regex == null) {
			throw new IllegalArgumentException(field + ": null (expected: a regular expression RE2 accepts)");
		}
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(field + ": " + regex + " (expected: a regular expression RE2 accepts, "
					+ "without backreferences or lookaround; " + ex.getDescription() + ")");
		}
	}

	/** A regular expression that matches exactly {@code text}. */
	public static String quote(String text) {
		return Pattern.quote(text);
	}

}
