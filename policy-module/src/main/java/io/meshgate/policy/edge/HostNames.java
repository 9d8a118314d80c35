package io.meshgate.policy.edge;

/**
 * The syntax of host names as clients send them ({@code Host}, {@code Origin}) and as routes and
 * policies name them: checked character by character, bounded, without regular expressions.
 */
public final class HostNames {

	/** The longest host name DNS allows, without the trailing dot. */
	public static final int MAX_NAME_LENGTH = 253;

	private static final int MAX_LABEL_LENGTH = 63;

	private HostNames() {
	}

	/**
	 * Whether {@code text[from, to)} is a DNS name: labels of letters, digits, {@code -} and
	 * {@code _}, 1-63 characters each, at most 253 in all, no empty label.
	 */
	public static boolean isDnsName(CharSequence text, int from, int to) {
		if (to <= from || to - from > MAX_NAME_LENGTH) {
			return false;
		}
		int label = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c == '.') {
				if (label == 0) {
					return false;
				}
				label = 0;
			}
			else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				if (++label > MAX_LABEL_LENGTH) {
					return false;
				}
			}
			else {
				return false;
			}
		}
		return label > 0;
	}

	/**
	 * Whether {@code text[from, to)} is a bracketed IPv6 literal as a Host header carries it:
	 * {@code [}, hex digits, {@code :} and {@code .} (an embedded IPv4 address), {@code ]}; no
	 * zone id.
	 */
	public static boolean isIpv6Literal(CharSequence text, int from, int to) {
		if (to - from < 4 || to - from > 47 || text.charAt(from) != '[' || text.charAt(to - 1) != ']') {
			return false;
		}
		boolean colon = false;
		for (int i = from + 1; i < to - 1; i++) {
			char c = text.charAt(i);
			colon |= c == ':';
			if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
				return false;
			}
		}
		return colon;
	}

}
