package io.meshgate.policy.edge;

import io.meshgate.policy.edge.PathNormalization.EscapedSlashes;
import io.meshgate.policy.edge.PathNormalization.PathParameters;

/**
 * Normalizes a raw request path (percent-encoding as the client sent it, no query) the way Envoy's
 * {@code normalize_path} (RFC 3986 section 6.2.2) and {@code merge_slashes} do, in this order:
 * <ol>
 * <li>checks: the path starts with {@code /}; no control characters, no {@code %00}, no invalid
 * percent-encoding ({@code %zz}, a lone {@code %}): otherwise the path is refused;</li>
 * <li>percent-encodings of unreserved characters (ALPHA DIGIT {@code - . _ ~}) are decoded, every
 * other one is written with upper-case hex; bytes above 127 are percent-encoded;</li>
 * <li>{@code %2F} and {@code %5C} are refused, kept or decoded as configured; a {@code \} is a
 * {@code /}, as Envoy (Chromium's canonicalizer) reads it;</li>
 * <li>path parameters ({@code ;} to the segment's end) are refused or removed as configured;</li>
 * <li>dot segments are removed (RFC 3986 section 5.2.4); {@code ..} above the root stays at the
 * root ({@code /../a} is {@code /a}), as in Envoy;</li>
 * <li>with {@code mergeSlashes}, empty segments go ({@code //a//b} is {@code /a/b}); a trailing
 * {@code /} stays.</li>
 * </ol>
 * The result is its own normal form: normalizing it again changes nothing. Paths already normal
 * (the common case) cost one scan and no allocation; the very same string is returned.
 */
public final class PathNormalizer {

	/** Characters that never make a path non-normal wherever they stand; {@code /} and {@code .} are checked apart. */
	private static final boolean[] PLAIN = new boolean[128];

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	static {
		for (char c = 'a'; c <= 'z'; c++) {
			PLAIN[c] = true;
			PLAIN[c - 'a' + 'A'] = true;
		}
		for (char c = '0'; c <= '9'; c++) {
			PLAIN[c] = true;
		}
		for (char c : "-._~!$&'()*+,=:@".toCharArray()) {
			PLAIN[c] = true;
		}
	}

	private final boolean mergeSlashes;

	private final EscapedSlashes escapedSlashes;

	private final PathParameters parameters;

	public PathNormalizer(PathNormalization config) {
		this.mergeSlashes = config.mergeSlashes();
		this.escapedSlashes = config.escapedSlashes();
		this.parameters = config.parameters();
	}

	/**
	 * The normalized form of {@code rawPath}: the same instance when it is normal already, or
	 * {@code null} when the path is refused (the request is answered 400).
	 */
	public String normalize(String rawPath) {
		if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			return null;
		}
		if (isNormal(rawPath)) {
			return rawPath;
		}
		StringBuilder canonical = canonicalCharacters(rawPath);
		if (canonical == null) {
			return null;
		}
		String normalized = removeDotSegments(canonical);
		return normalized.equals(rawPath) ? rawPath : normalized;
	}

	/** One scan: plain characters only, no {@code //} (when merged) and no segment starting with {@code .}. */
	private boolean isNormal(String path) {
		int length = path.length();
		for (int i = 0; i < length; i++) {
			char c = path.charAt(i);
			if (c == '/') {
				if (i + 1 < length) {
					char next = path.charAt(i + 1);
					if (next == '.' || (next == '/' && mergeSlashes)) {
						return false;
					}
				}
			}
			else if (c >= 128 || !PLAIN[c]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Steps 1 to 4: the path with {@code /} as its only separator, percent-encoding canonical and
	 * parameters gone; {@code null} when refused.
	 */
	private StringBuilder canonicalCharacters(String path) {
		StringBuilder out = new StringBuilder(path.length() + 8);
		boolean inParameter = false;
		int length = path.length();
		for (int i = 0; i < length; i++) {
			char c = path.charAt(i);
			if (c == '/' || c == '\\') {
				inParameter = false;
				out.append('/');
			}
			else if (c < 0x20 || c == 0x7F || c > 0xFF) {
				return null;
			}
			else if (c == '%') {
				int value = i + 2 < length ? hexByte(path.charAt(i + 1), path.charAt(i + 2)) : -1;
				if (value <= 0) {
					return null;
				}
				i += 2;
				if (inParameter) {
					continue;
				}
				if (value == '/' || value == '\\') {
					if (escapedSlashes == EscapedSlashes.REJECT) {
						return null;
					}
					if (escapedSlashes == EscapedSlashes.DECODE) {
						out.append('/');
						continue;
					}
				}
				if (isUnreserved(value)) {
					out.append((char) value);
				}
				else {
					appendEncoded(out, value);
				}
			}
			else if (c == ';') {
				if (parameters == PathParameters.REJECT) {
					return null;
				}
				inParameter = true;
			}
			else if (inParameter) {
				continue;
			}
			else if (c >= 128) {
				// Reactor Netty reads request-line bytes as ISO-8859-1: the char is the byte sent
				appendEncoded(out, c);
			}
			else {
				out.append(c);
			}
		}
		return out;
	}

	/**
	 * Steps 5 and 6 on a path whose only separator is {@code /}: each segment is kept, dropped
	 * ({@code .}, an empty one when merging) or removes the last kept one ({@code ..}).
	 */
	private String removeDotSegments(StringBuilder path) {
		StringBuilder out = new StringBuilder(path.length());
		// out.length() before each kept segment: where ".." cuts back to
		int[] kept = new int[path.length()];
		int depth = 0;
		boolean trailingSlash = false;
		int start = 1;
		while (start <= path.length()) {
			int end = path.indexOf("/", start);
			boolean last = end < 0;
			if (last) {
				end = path.length();
			}
			int segmentLength = end - start;
			boolean dot = segmentLength == 1 && path.charAt(start) == '.';
			boolean dotDot = segmentLength == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
			if (dot || dotDot || (segmentLength == 0 && (last || mergeSlashes))) {
				if (dotDot && depth > 0) {
					out.setLength(kept[--depth]);
				}
				trailingSlash = last;
			}
			else {
				kept[depth++] = out.length();
				out.append('/').append(path, start, end);
				trailingSlash = false;
			}
			start = end + 1;
		}
		if (trailingSlash || out.isEmpty()) {
			out.append('/');
		}
		return out.toString();
	}

	private static boolean isUnreserved(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~';
	}

	/** The octet two ASCII hex digits stand for, or -1. */
	private static int hexByte(char high, char low) {
		int h = hexDigit(high);
		int l = hexDigit(low);
		return h < 0 || l < 0 ? -1 : (h << 4) | l;
	}

	private static int hexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
	}

	private static void appendEncoded(StringBuilder out, int octet) {
		out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
	}

}
