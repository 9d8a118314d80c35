package io.meshgate.policy.cors;

/** RFC 9110 tokens and optional white space, read in place: no copies on the request path. */
final class HttpTokens {

	private HttpTokens() {
	}

	/** Whether {@code text[from, to)} is a non-empty token ({@code tchar}s). */
	static boolean isToken(String text, int from, int to) {
		if (from >= to) {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!tchar) {
				return false;
			}
		}
		return true;
	}

	/** The first index in {@code [from, to)} that is not a space or tab, else {@code to}. */
	static int skipSpaces(String text, int from, int to) {
		while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
			from++;
		}
		return from;
	}

	/** {@code to}, moved back over spaces and tabs, not before {@code from}. */
	static int trimSpaces(String text, int from, int to) {
		while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
			to--;
		}
		return to;
	}

}
