package io.meshgate.policy.security;

/**
 * Why a token of a configured JWT provider was not accepted: each has a fixed text, the one a
 * 401's {@code WWW-Authenticate: Bearer error="invalid_token", error_description="…"} carries,
 * and a metric outcome. Never the token, never a claim's value.
 */
public enum TokenFailure {

	/** Not a JWS compact serialization, or its header or claims are not JSON. */
	MALFORMED("malformed", "the token is malformed"),

	/** {@code alg: none}, an HMAC ({@code HS*}) or any algorithm the gateway does not verify. */
	ALGORITHM_NOT_ALLOWED("algorithm-not-allowed", "the token's algorithm is not accepted"),

	/** The signature does not verify with the provider's key. */
	BAD_SIGNATURE("bad-signature", "the token's signature is invalid"),

	/** No key of the provider has the token's {@code kid}, after the keys were fetched again. */
	UNKNOWN_KEY("unknown-key", "the token's signing key is unknown"),

	/** The provider's keys could not be fetched. */
	KEYS_UNAVAILABLE("keys-unavailable", "the token's signing keys are unavailable"),

	/** {@code exp} is in the past, beyond the clock skew. */
	EXPIRED("expired", "the token has expired"),

	/** {@code nbf} is in the future, beyond the clock skew. */
	NOT_YET_VALID("not-yet-valid", "the token is not yet valid"),

	/** None of the token's {@code aud} is one of the provider's audiences. */
	WRONG_AUDIENCE("wrong-audience", "the token's audience is not accepted");

	private final String outcome;

	private final String description;

	TokenFailure(String outcome, String description) {
		this.outcome = outcome;
		this.description = description;
	}

	/** The metric outcome ({@code meshgate.authn.requests{outcome=…}}). */
	public String outcome() {
		return outcome;
	}

	/** The fixed text a 401 gives. */
	public String description() {
		return description;
	}

}
