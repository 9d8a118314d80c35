package io.meshgate.policy.security.jwt;

import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;

/**
 * A request header a JWT provider reads its token from (Istio's {@code fromHeaders}):
 * {@code {name: Authorization, prefix: "Bearer "}}. The prefix is matched ignoring case (an
 * authentication scheme is case-insensitive) and taken off.
 *
 * @param name the header; required
 * @param prefix what precedes the token in the value; default none
 */
public record TokenHeader(@Example("Authorization") String name, String prefix) {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	/** {@code Authorization: Bearer <token>} (RFC 6750). */
	public static final TokenHeader BEARER = new TokenHeader("Authorization", "Bearer ");

	public TokenHeader {
		if (name == null || !TOKEN.matcher(name).matches()) {
			throw new IllegalArgumentException("name: " + name + " (expected: a header name)");
		}
		prefix = prefix == null ? "" : prefix;
		if (prefix.length() > 64) {
			throw new IllegalArgumentException("prefix: " + prefix + " (expected: at most 64 characters)");
		}
	}

}
