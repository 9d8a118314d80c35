package io.meshgate.policy.security.jwt;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.ObjectName;

/**
 * An issuer of JSON Web Tokens the gateway verifies (Istio's {@code RequestAuthentication}
 * {@code jwtRules}, Envoy's {@code JwtProvider}), at the top level of the configuration next to
 * upstreams and routes; routes name the providers they accept in {@code authentication.jwt}.
 *
 * <pre>
 * jwtProviders:
 *   - name: idp
 *     issuer: https://idp.example.com
 *     jwksUri: https://idp.example.com/.well-known/jwks.json   # or jwks: '{"keys": [...]}'
 *     audiences: [orders]
 *     fromHeaders: [{name: Authorization, prefix: "Bearer "}]
 *     clockSkew: 60s
 *     claimsToHeaders: [{claim: sub, header: x-user}]
 * </pre>
 *
 * A token is given to the provider whose {@code issuer} equals its {@code iss}; tokens of other
 * issuers are left alone. Signatures: RS256/384/512, PS256/384/512, ES256/384 and EdDSA
 * (Ed25519); {@code alg: none} and HMAC ({@code HS*}) are refused.
 *
 * @param name how routes refer to the provider; letters, digits, '-', '_', '.'
 * @param issuer the {@code iss} of its tokens, compared exactly; unique among providers
 * @param jwksUri where its public keys (a JWK Set) are fetched, over HTTPS or HTTP; one of
 * {@code jwksUri} and {@code jwks}
 * @param jwks its public keys, a JWK Set as JSON, instead of {@code jwksUri}
 * @param audiences a token's {@code aud} must name one of these; default: {@code aud} is not checked
 * @param fromHeaders headers the token is read from; default {@code Authorization: Bearer <token>}
 * unless {@code fromCookies} or {@code fromParams} are given
 * @param fromCookies cookies the token is read from; default none
 * @param fromParams query parameters the token is read from; default none
 * @param clockSkew tolerance for {@code exp} and {@code nbf}; default 60s, at most 5m
 * @param claimsToHeaders claims copied into request headers for the upstream; default none
 * @param jwksRefreshInterval how often {@code jwksUri} is fetched again in the background; default
 * 5m, at least 10s. A token with a {@code kid} the cached keys lack fetches them at once, at most
 * once per 10s.
 */
public record JwtProvider(@Example("idp") String name, @Example("https://idp.example.com") String issuer,
		@Example("https://idp.example.com/.well-known/jwks.json") URI jwksUri, String jwks, List<String> audiences,
		List<TokenHeader> fromHeaders, List<String> fromCookies, List<String> fromParams,
		@Example("60s") Duration clockSkew, List<ClaimToHeader> claimsToHeaders,
		@Example("5m") Duration jwksRefreshInterval) {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");

	public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

	public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofMinutes(5);

	/** Inline key sets are configuration, not data: a few keys. */
	static final int MAX_INLINE_JWKS = 64 * 1024;

	public JwtProvider {
		ObjectName.require("name", name);
		if (issuer == null || issuer.isBlank() || issuer.length() > 1024) {
			throw new IllegalArgumentException("issuer: " + issuer + " (expected: the tokens' iss, at most 1024)");
		}
		if ((jwksUri == null) == (jwks == null)) {
			throw new IllegalArgumentException("jwksUri: " + jwksUri + " (expected: exactly one of jwksUri and jwks)");
		}
		if (jwksUri != null && (!jwksUri.isAbsolute() || jwksUri.getHost() == null
				|| !("https".equalsIgnoreCase(jwksUri.getScheme()) || "http".equalsIgnoreCase(jwksUri.getScheme())))) {
			throw new IllegalArgumentException("jwksUri: " + jwksUri + " (expected: an absolute https:// or http:// URI)");
		}
		if (jwks != null) {
			checkInlineKeys(jwks);
		}
		audiences = audiences == null ? List.of() : List.copyOf(audiences);
		fromCookies = fromCookies == null ? List.of() : List.copyOf(fromCookies);
		fromParams = fromParams == null ? List.of() : List.copyOf(fromParams);
		fromHeaders = fromHeaders == null
				? (fromCookies.isEmpty() && fromParams.isEmpty() ? List.of(TokenHeader.BEARER) : List.of())
				: List.copyOf(fromHeaders);
		for (String cookie : fromCookies) {
			if (cookie == null || !TOKEN.matcher(cookie).matches()) {
				throw new IllegalArgumentException("fromCookies: " + cookie + " (expected: cookie names)");
			}
		}
		for (String param : fromParams) {
			if (param == null || param.isEmpty() || param.length() > 128) {
				throw new IllegalArgumentException("fromParams: " + param + " (expected: query parameter names)");
			}
		}
		if (fromHeaders.isEmpty() && fromCookies.isEmpty() && fromParams.isEmpty()) {
			throw new IllegalArgumentException(
					"fromHeaders: [] (expected: at least one place to read the token from)");
		}
		clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
		if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: 0s-5m)");
		}
		claimsToHeaders = claimsToHeaders == null ? List.of() : List.copyOf(claimsToHeaders);
		jwksRefreshInterval = jwksRefreshInterval == null ? DEFAULT_JWKS_REFRESH_INTERVAL : jwksRefreshInterval;
		if (jwksRefreshInterval.compareTo(Duration.ofSeconds(10)) < 0) {
			throw new IllegalArgumentException("jwksRefreshInterval: " + jwksRefreshInterval + " (expected: >= 10s)");
		}
	}

	private static void checkInlineKeys(String jwks) {
		if (jwks.length() > MAX_INLINE_JWKS) {
			throw new IllegalArgumentException(
					"jwks: " + jwks.length() + " characters (expected: a JWK Set of at most " + MAX_INLINE_JWKS + ")");
		}
		JWKSet keys;
		try {
			keys = JWKSet.parse(jwks);
		}
		catch (ParseException ex) {
			// the parser's message may quote the text: only where it failed is said
			throw new IllegalArgumentException("jwks: not a JWK Set (expected: {\"keys\": [...]} as JSON)");
		}
		if (keys.getKeys().isEmpty()) {
			throw new IllegalArgumentException("jwks: no keys (expected: at least one public key)");
		}
		for (JWK key : keys.getKeys()) {
			if (key.isPrivate()) {
				// a private key pasted here would be stored and shown: refused, and never echoed
				throw new IllegalArgumentException("jwks: a private key (expected: public keys only)");
			}
		}
	}

	/** A provider with its keys inline and the defaults elsewhere. */
	public static JwtProvider inline(String name, String issuer, String jwks) {
		return new JwtProvider(name, issuer, null, jwks, null, null, null, null, null, null, null);
	}

	/** A provider fetching its keys from {@code jwksUri}, with the defaults elsewhere. */
	public static JwtProvider remote(String name, String issuer, URI jwksUri) {
		return new JwtProvider(name, issuer, jwksUri, null, null, null, null, null, null, null, null);
	}

	public JwtProvider withAudiences(String... audiences) {
		return new JwtProvider(name, issuer, jwksUri, jwks, List.of(audiences), fromHeaders, fromCookies, fromParams,
				clockSkew, claimsToHeaders, jwksRefreshInterval);
	}

	public JwtProvider withClaimsToHeaders(ClaimToHeader... claimsToHeaders) {
		return new JwtProvider(name, issuer, jwksUri, jwks, audiences, fromHeaders, fromCookies, fromParams,
				clockSkew, List.of(claimsToHeaders), jwksRefreshInterval);
	}

	public JwtProvider withTokenPlaces(List<TokenHeader> fromHeaders, List<String> fromCookies,
			List<String> fromParams) {
		return new JwtProvider(name, issuer, jwksUri, jwks, audiences, fromHeaders, fromCookies, fromParams,
				clockSkew, claimsToHeaders, jwksRefreshInterval);
	}

}
