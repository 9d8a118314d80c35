package io.meshgate.policy.security.jwt;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;

/**
 * A claim of a verified token copied into a request header for the upstream (Envoy's
 * {@code claim_to_headers}, Istio's {@code outputClaimToHeaders}): {@code {claim: sub, header:
 * x-user}}. A header of that name the client sent is always removed first, token or not, so an
 * upstream can trust it. Strings, numbers and booleans are copied; a list of them is joined with
 * commas; other values, and values with control characters, are not copied.
 *
 * @param claim the claim's name; a dotted name ({@code realm.role}) reads a nested object
 * @param header the request header to set
 */
public record ClaimToHeader(@Example("sub") String claim, @Example("x-user") String header) {

	private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	/** Headers the gateway or HTTP itself owns: a claim never sets them. */
	private static final Set<String> RESERVED = Set.of("host", "authorization", "content-length",
			"transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization",
			"cookie", "x-forwarded-for", "forwarded", "x-forwarded-client-cert");

	public ClaimToHeader {
		if (claim == null || claim.isBlank() || claim.length() > 128) {
			throw new IllegalArgumentException("claim: " + claim + " (expected: a claim name, at most 128)");
		}
		if (header == null || !HEADER.matcher(header).matches()) {
			throw new IllegalArgumentException("header: " + header + " (expected: a header name)");
		}
		String lower = header.toLowerCase(Locale.ROOT);
		if (RESERVED.contains(lower) || lower.startsWith("x-meshgate-")) {
			throw new IllegalArgumentException("header: " + header
					+ " (expected: not a header HTTP or the gateway owns, such as Host, Authorization or x-meshgate-*)");
		}
	}

}
