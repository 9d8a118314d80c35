package io.meshgate.policy.tls;

import java.util.Locale;

import javax.net.ssl.SNIHostName;

/**
 * DNS names as TLS uses them: which may be sent as SNI, and how a name matches a certificate's
 * DNS subject alternative name, wildcards included.
 */
final class ServerName {

	private ServerName() {
	}

	/** Whether {@code name} can be sent as SNI: a DNS name, not an IP address, wildcard, URI or port. */
	static boolean valid(String name) {
		if (name == null || name.isEmpty() || name.contains("*") || name.contains(":")
				|| name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
			return false;
		}
		try {
			new SNIHostName(name);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether the DNS names {@code expected} and {@code presented} match, ignoring case: equal, or
	 * one of them is {@code *.suffix} and the other is one label followed by {@code .suffix}
	 * (a wildcard stands for exactly one label, never for none, as RFC 6125 section 6.4.3 reads it).
	 */
	static boolean dnsMatches(String expected, String presented) {
		String a = expected.toLowerCase(Locale.ROOT);
		String b = presented.toLowerCase(Locale.ROOT);
		return a.equals(b) || wildcardCovers(a, b) || wildcardCovers(b, a);
	}

	private static boolean wildcardCovers(String wildcard, String name) {
		if (!wildcard.startsWith("*.") || name.startsWith("*.")) {
			return false;
		}
		String suffix = wildcard.substring(1);
		int firstDot = name.indexOf('.');
		return firstDot > 0 && name.substring(firstDot).equals(suffix);
	}

}
