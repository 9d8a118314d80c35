package io.meshgate.policy.security.jwt;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Mono;

import io.meshgate.policy.security.TokenFailure;

/**
 * A provider in force: its record, its keys, and the checks of its tokens in order: algorithm,
 * key, signature, then {@code exp}, {@code nbf} (with the clock skew) and {@code aud}. A token's
 * issuer is its provider's by construction ({@link JwtProviders} picks the provider by it).
 */
final class ProviderRuntime implements AutoCloseable {

	final JwtProvider provider;

	final ProviderKeys keys;

	final Set<TokenPlace> places;

	private final Set<String> audiences;

	private final Clock clock;

	ProviderRuntime(JwtProvider provider, ProviderKeys keys, Clock clock) {
		this.provider = provider;
		this.keys = keys;
		this.places = Set.copyOf(TokenPlace.of(provider));
		this.audiences = Set.copyOf(provider.audiences());
		this.clock = clock;
	}

	/** Verifies {@code jwt}, fetching the keys again first when they lack its {@code kid}. */
	Mono<VerifiedToken> verify(SignedJWT jwt, JWTClaimsSet claims) {
		if (!VerificationKeys.ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
			return Mono.just(VerifiedToken.failed(provider.name(), TokenFailure.ALGORITHM_NOT_ALLOWED));
		}
		VerifiedToken checked = check(jwt, claims, keys.current());
		if (checked != null) {
			return Mono.just(checked);
		}
		return keys.refetchForUnknownKey()
			.map(fetched -> {
				VerifiedToken again = check(jwt, claims, fetched);
				return again != null ? again : VerifiedToken.failed(provider.name(),
						keys.loaded() ? TokenFailure.UNKNOWN_KEY : TokenFailure.KEYS_UNAVAILABLE);
			})
			.onErrorResume(ex -> Mono.just(VerifiedToken.failed(provider.name(), keys.loaded()
					? TokenFailure.UNKNOWN_KEY : TokenFailure.KEYS_UNAVAILABLE)));
	}

	/** The outcome with {@code keys}; {@code null} when none of them may have signed it. */
	private VerifiedToken check(SignedJWT jwt, JWTClaimsSet claims, VerificationKeys keys) {
		List<VerificationKeys.Key> candidates = keys.candidates(jwt.getHeader());
		if (candidates.isEmpty()) {
			return null;
		}
		if (!signedByOneOf(jwt, candidates)) {
			return VerifiedToken.failed(provider.name(), TokenFailure.BAD_SIGNATURE);
		}
		long now = clock.millis();
		long skew = provider.clockSkew().toMillis();
		Date expires = claims.getExpirationTime();
		if (expires != null && now > expires.getTime() + skew) {
			return VerifiedToken.failed(provider.name(), TokenFailure.EXPIRED);
		}
		Date notBefore = claims.getNotBeforeTime();
		if (notBefore != null && now + skew < notBefore.getTime()) {
			return VerifiedToken.failed(provider.name(), TokenFailure.NOT_YET_VALID);
		}
		if (!audiences.isEmpty() && !acceptedAudience(claims.getAudience())) {
			return VerifiedToken.failed(provider.name(), TokenFailure.WRONG_AUDIENCE);
		}
		Map<String, Object> values = jsonValues(claims);
		String principal = provider.issuer() + "/" + (claims.getSubject() == null ? "" : claims.getSubject());
		return VerifiedToken.verified(provider.name(), principal, values, headers(values),
				expires == null ? Long.MAX_VALUE : expires.getTime() + skew);
	}

	private static boolean signedByOneOf(SignedJWT jwt, List<VerificationKeys.Key> candidates) {
		for (VerificationKeys.Key key : candidates) {
			try {
				if (jwt.verify(key.verifier())) {
					return true;
				}
			}
			catch (JOSEException | IllegalStateException ex) {
				// a signature the verifier cannot even read is a bad one
			}
		}
		return false;
	}

	private boolean acceptedAudience(List<String> audience) {
		for (String aud : audience) {
			if (audiences.contains(aud)) {
				return true;
			}
		}
		return false;
	}

	/** The claims as JSON values (dates as epoch seconds), without nulls. */
	private static Map<String, Object> jsonValues(JWTClaimsSet claims) {
		Map<String, Object> values = new LinkedHashMap<>();
		claims.toJSONObject().forEach((name, value) -> {
			if (value != null) {
				values.put(name, value);
			}
		});
		return Map.copyOf(values);
	}

	/** The headers {@code claimsToHeaders} set, names and values alternating. */
	private String[] headers(Map<String, Object> claims) {
		List<String> headers = new ArrayList<>();
		for (ClaimToHeader mapping : provider.claimsToHeaders()) {
			String value = ClaimValues.headerValue(ClaimValues.find(claims, mapping.claim()));
			if (value != null) {
				headers.add(mapping.header());
				headers.add(value);
			}
		}
		return headers.toArray(String[]::new);
	}

	@Override
	public void close() {
		keys.close();
	}

}
