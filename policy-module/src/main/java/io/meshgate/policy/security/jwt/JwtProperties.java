package io.meshgate.policy.security.jwt;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.jwt.*}: how the gateway keeps the tokens it verified.
 *
 * <pre>
 * meshgate:
 *   jwt:
 *     verified-token-cache-size: 10000   # 0: every token is verified on every request
 * </pre>
 *
 * @param verifiedTokenCacheSize how many verified tokens are kept (by the SHA-256 of the token,
 * until they expire; about 2 KB each), so that a token seen again costs a hash and a lookup rather
 * than a signature check; default {@value #DEFAULT_VERIFIED_TOKEN_CACHE_SIZE}. {@code 0} keeps
 * none (Envoy's {@code jwt_cache_config} is off by default): every request's token is verified
 * against the keys in force, so a key removed from a provider's JWKS stops its tokens at the next
 * key refresh instead of at their expiry, at the cost of a signature check per request
 */
@ConfigurationProperties("meshgate.jwt")
public record JwtProperties(Integer verifiedTokenCacheSize) {

	/** Enough for the active users of a large site. */
	public static final int DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

	public JwtProperties {
		verifiedTokenCacheSize = verifiedTokenCacheSize == null ? DEFAULT_VERIFIED_TOKEN_CACHE_SIZE
				: verifiedTokenCacheSize;
		if (verifiedTokenCacheSize < 0) {
			throw new IllegalArgumentException("meshgate.jwt.verified-token-cache-size: " + verifiedTokenCacheSize
					+ " (expected: 0 or more tokens; 0 keeps none)");
		}
	}

}
