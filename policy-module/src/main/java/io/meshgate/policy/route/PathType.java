package io.meshgate.policy.route;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PatternParseException;
import org.springframework.web.util.pattern.PathPatternParser;

import io.meshgate.policy.edge.PathNormalization;
import io.meshgate.policy.edge.PathNormalizer;

/**
 * How a route's {@code match.path} is read, as Gateway API's {@code HTTPPathMatch.type} and
 * Ingress's {@code pathType}. Paths are compared in the form the edge normalized them to
 * ({@link PathNormalizer}): dot segments removed, slashes merged,
 * unreserved characters decoded, other percent-encodings kept with upper-case hex.
 *
 * <ul>
 * <li>{@code PATTERN} (default): a Spring path pattern, {@code /orders/**}, {@code /users/{id}}.</li>
 * <li>{@code EXACT}: the path equals the value.</li>
 * <li>{@code PREFIX}: the value's elements are the path's first elements: {@code /foo} matches
 * {@code /foo}, {@code /foo/} and {@code /foo/bar}, not {@code /foobar}; a trailing {@code /} in
 * the value is ignored, and {@code /} matches every path.</li>
 * <li>{@code REGEX}: a regular expression (RE2 syntax, see {@link LinearRegex}) the whole path
 * must match.</li>
 * </ul>
 */
public enum PathType {

	PATTERN, EXACT, PREFIX, REGEX;

	/** The edge's normalization, less what its settings may leave in request paths. */
	private static final PathNormalizer LITERALS = new PathNormalizer(
			new PathNormalization(false, PathNormalization.EscapedSlashes.KEEP, PathNormalization.PathParameters.STRIP));

	/** The type named by {@code text}, case-insensitively ({@code exact}, {@code Prefix}). */
	public static PathType of(String text) {
		String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
		for (PathType type : values()) {
			if (type.name().equals(name)) {
				return type;
			}
		}
		throw new IllegalArgumentException("pathType: " + text + " (expected: one of " + Arrays.toString(values()) + ")");
	}

	/**
	 * A test of request paths against {@code value} read as this type; throws
	 * {@link IllegalArgumentException} ({@code path: …}) when {@code value} is not valid for it.
	 */
	public Predicate<String> matcher(String value) {
		if (this != REGEX && (value == null || !value.startsWith("/"))) {
			throw new IllegalArgumentException("path: " + value + " (expected: a "
					+ (this == PATTERN ? "path pattern" : "path") + " starting with /"
					+ (this == PATTERN ? "" : " for pathType " + this) + ")");
		}
		return switch (this) {
			case PATTERN -> pattern(value);
			case EXACT -> literal(value)::equals;
			case PREFIX -> prefix(literal(value));
			case REGEX -> regex(value);
		};
	}

	/**
	 * A literal path in the form the edge gives request paths, whatever its settings: a value with
	 * dot segments, parameters, lower-case or needless percent-encoding could never match.
	 * Empty segments and encoded slashes are left alone: the edge may be set to keep them.
	 */
	private String literal(String value) {
		String normal = LITERALS.normalize(value);
		if (normal == null || !normal.equals(value)) {
			throw new IllegalArgumentException("path: " + value + " (expected: a path for pathType " + this
					+ " in the normal form request paths are matched in"
					+ (normal == null ? ", with valid percent-encoding and no control characters" : ": " + normal)
					+ ")");
		}
		return value;
	}

	private static Predicate<String> pattern(String value) {
		checkLinear(value);
		PathPattern pattern;
		try {
			pattern = PathPatternParser.defaultInstance.parse(value);
		}
		catch (PatternParseException ex) {
			throw new IllegalArgumentException(
					"path: " + value + " (expected: a Spring path pattern; " + ex.getMessage() + ")");
		}
		return path -> pattern.matches(PathContainer.parsePath(path));
	}

	/**
	 * Spring compiles a {@code {name:regex}} capture, and a segment with several wildcards or
	 * variables ({@code a*b*c}, {@code {x}.{y}}), to a backtracking {@code java.util.regex}, whose
	 * matching time a crafted request path can make grow with a power of its length: refused.
	 */
	private static void checkLinear(String value) {
		for (String segment : value.split("/")) {
			if (segment.equals("**") || segment.startsWith("{*")) {
				continue;
			}
			int unbounded = 0;
			boolean regexCapture = false;
			for (int i = 0; i < segment.length(); i++) {
				char c = segment.charAt(i);
				if (c == '*' || c == '{') {
					unbounded++;
				}
				if (c == '{') {
					int close = segment.indexOf('}', i);
					regexCapture |= segment.substring(i, close < 0 ? segment.length() : close).indexOf(':') >= 0;
				}
			}
			if (unbounded > 1 || regexCapture) {
				throw new IllegalArgumentException("path: " + value + " (expected: a Spring path pattern with at most "
						+ "one * or {variable} per segment and no {variable:regex}; write regular expressions with "
						+ "pathType REGEX)");
			}
		}
	}

	private static Predicate<String> prefix(String value) {
		String prefix = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
		if (prefix.isEmpty()) {
			return path -> true;
		}
		return path -> path.startsWith(prefix)
				&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
	}

	/** Spring Cloud Gateway evaluates an argument written {@code #{...}} as an expression: never pass one on. */
	static boolean isGatewayExpression(String text) {
		return text.startsWith("#{") && text.endsWith("}");
	}

	private static Predicate<String> regex(String value) {
		if (value == null || value.isEmpty() || isGatewayExpression(value)) {
			throw new IllegalArgumentException("path: " + value + " (expected: a regular expression over the whole path)");
		}
		return LinearRegex.wholeMatch("path", value);
	}

}
