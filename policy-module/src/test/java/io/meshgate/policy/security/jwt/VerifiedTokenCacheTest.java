package io.meshgate.policy.security.jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.TokenFailure;
import io.meshgate.policy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verified tokens are cached by their hash until they expire (with the clock skew), only verified
 * ones, and not across a change of providers. Time is a clock the test moves.
 */
class VerifiedTokenCacheTest {

	private static final TestTokens IDP = new TestTokens("c");

	private final Instant start = Instant.parse("2026-12-06T12:00:00Z");

	private final MutableClock clock = new MutableClock(start);

	private final JwtProviders providers = new JwtProviders(new JwksFetcher(), new SimpleMeterRegistry(), clock,
			System::nanoTime);

	private VerifiedToken verify(String token) {
		JwtProviders.Snapshot snapshot = providers.snapshot();
		JwtProviders.Presented presented = JwtProviders.find(snapshot,
				MockServerHttpRequest.get("/").header("Authorization", "Bearer " + token).build());
		return providers.verify(snapshot, presented, CredentialHash.of(token)).block(Duration.ofSeconds(5));
	}

	@Test
	void aVerifiedTokenIsCachedUntilItExpiresBeyondTheSkew() {
		providers.apply(List.of(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks())));
		String token = IDP.sign(JWSAlgorithm.ES256, TestTokens.claims("alice")
			.issueTime(Date.from(start))
			.expirationTime(Date.from(start.plusSeconds(600)))
			.build());

		assertThat(providers.cached(CredentialHash.of(token))).isNull();
		assertThat(verify(token).verdict().verified()).isTrue();
		assertThat(providers.cached(CredentialHash.of(token))).isNotNull()
			.satisfies(cached -> assertThat(cached.principal()).isEqualTo(TestTokens.ISSUER + "/alice"));

		clock.advance(Duration.ofSeconds(600 + 60));
		assertThat(providers.cached(CredentialHash.of(token))).isNotNull();
		clock.advance(Duration.ofSeconds(1));
		assertThat(providers.cached(CredentialHash.of(token))).isNull();
		assertThat(verify(token).verdict().failure()).isEqualTo(TokenFailure.EXPIRED);
	}

	@Test
	void failuresAreNotCachedAndAChangeOfProvidersEmptiesTheCache() {
		providers.apply(List.of(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks()).withAudiences("billing")));
		String token = IDP.sign(JWSAlgorithm.EdDSA, TestTokens.claims("alice")
			.expirationTime(Date.from(start.plusSeconds(600)))
			.build());
		assertThat(verify(token).verdict().failure()).isEqualTo(TokenFailure.WRONG_AUDIENCE);
		assertThat(providers.cached(CredentialHash.of(token))).isNull();

		providers.apply(List.of(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks())));
		assertThat(verify(token).verdict().verified()).isTrue();
		providers.apply(List.of(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks()).withAudiences("billing")));

		assertThat(providers.cached(CredentialHash.of(token))).isNull();
	}

	@Test
	void aCacheSizeOfZeroKeepsNoTokenAndVerifiesEveryTime() {
		JwtProviders uncached = new JwtProviders(new JwksFetcher(), new SimpleMeterRegistry(), clock, System::nanoTime,
				0);
		uncached.apply(List.of(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks())));
		String token = IDP.sign(JWSAlgorithm.ES256, TestTokens.claims("alice")
			.expirationTime(Date.from(start.plusSeconds(600)))
			.build());
		JwtProviders.Snapshot snapshot = uncached.snapshot();
		JwtProviders.Presented presented = JwtProviders.find(snapshot,
				MockServerHttpRequest.get("/").header("Authorization", "Bearer " + token).build());

		for (int i = 0; i < 2; i++) {
			assertThat(uncached.verify(snapshot, presented, CredentialHash.of(token)).block(Duration.ofSeconds(5))
				.verdict()
				.verified()).isTrue();
			assertThat(uncached.cached(CredentialHash.of(token))).isNull();
		}
		uncached.close();
	}

	@Test
	void theCacheSizeIsAtLeastZero() {
		assertThat(new JwtProperties(null).verifiedTokenCacheSize())
			.isEqualTo(JwtProperties.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new JwtProperties(-1))
			.withMessage("meshgate.jwt.verified-token-cache-size: -1 (expected: 0 or more tokens; 0 keeps none)");
	}

}
