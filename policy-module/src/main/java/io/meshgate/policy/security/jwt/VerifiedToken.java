package io.meshgate.policy.security.jwt;

import java.util.Map;

import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.TokenFailure;
import io.meshgate.policy.security.TokenVerdict;

/**
 * What verifying one token gave: its verdict, and when verified its principal, claims and the
 * headers its claims set, with the identity of a caller known by nothing else ready-made, so
 * that a cached token costs a request no allocation for them.
 *
 * @param verdict verified or why not; {@code null} for a token no provider takes, left alone
 * @param principal {@code iss/sub}; {@code null} unless verified
 * @param claims the claims as JSON values; empty unless verified
 * @param headers header names and values, alternating, that the provider's
 * {@code claimsToHeaders} set; empty unless verified
 * @param validUntilMillis when it stops being valid ({@code exp} plus the clock skew);
 * {@code Long.MAX_VALUE} without {@code exp}
 * @param anonymous {@link Identity#ANONYMOUS} with this verdict, principal and claims
 */
record VerifiedToken(TokenVerdict verdict, String principal, Map<String, Object> claims, String[] headers,
		long validUntilMillis, Identity anonymous) {

	/** A token of an issuer no provider has, or read from a place its provider does not read: ignored. */
	static final VerifiedToken NOT_OURS = new VerifiedToken(null, null, Map.of(), new String[0], 0, null);

	static VerifiedToken verified(String provider, String principal, Map<String, Object> claims, String[] headers,
			long validUntilMillis) {
		TokenVerdict verdict = new TokenVerdict(provider, null);
		return new VerifiedToken(verdict, principal, claims, headers, validUntilMillis,
				Identity.ANONYMOUS.withToken(verdict, principal, claims));
	}

	static VerifiedToken failed(String provider, TokenFailure failure) {
		TokenVerdict verdict = new TokenVerdict(provider, failure);
		return new VerifiedToken(verdict, null, Map.of(), new String[0], 0,
				Identity.ANONYMOUS.withToken(verdict, null, Map.of()));
	}

	/** The identity {@code before} becomes with this token. */
	Identity applyTo(Identity before) {
		return before == Identity.ANONYMOUS ? anonymous : before.withToken(verdict, principal, claims);
	}

}
