package io.meshgate.policy.security;

/**
 * What the edge made of the request's token: verified by {@code provider}, or rejected with
 * {@code failure}. Recorded only for tokens of a configured provider's issuer (and for tokens
 * too malformed to name one); a token of any other issuer leaves the identity as it was.
 *
 * @param provider the name of the JWT provider whose issuer the token names; {@code null} when
 * the token is too malformed to name one
 * @param failure why it was not accepted; {@code null} when it verified
 */
public record TokenVerdict(String provider, TokenFailure failure) {

	public boolean verified() {
		return failure == null;
	}

}
