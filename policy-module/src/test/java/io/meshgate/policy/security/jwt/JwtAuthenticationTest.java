package io.meshgate.policy.security.jwt;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.authn.AuthenticationPolicy;
import io.meshgate.policy.security.authn.JwtRequirement;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JWT authentication end to end: tokens made here, a JWKS server on loopback, the gateway and an
 * upstream on real sockets. Every algorithm verifies; every rejection has its own test, with its
 * challenge, its fixed text and its metric; keys rotated at the IdP are picked up without a 401.
 */
class JwtAuthenticationTest extends GatewayTest {

	private static final TestTokens IDP = new TestTokens("a");

	private static final String BEARER = "Bearer realm=\"meshgate\"";

	private final AtomicInteger ids = new AtomicInteger();

	private JwksServer jwks;

	private TestUpstream orders;

	/** The authentication counters before the test: the gateway, and its meters, serve every test. */
	private final Map<io.micrometer.core.instrument.Meter.Id, Double> countedBefore = new java.util.HashMap<>();

	@BeforeEach
	void startIdp() {
		jwks = new JwksServer(IDP.jwks());
		orders = start("orders");
		meters.find("meshgate.authn.requests").counters().forEach(c -> countedBefore.put(c.getId(), c.count()));
	}

	@AfterEach
	void stopIdp() {
		jwks.close();
	}

	private JwtProvider provider() {
		return JwtProvider.remote("idp", TestTokens.ISSUER, jwks.uri())
			.withAudiences("orders")
			.withClaimsToHeaders(new ClaimToHeader("sub", "x-user"));
	}

	private void applyRoutes(JwtProvider provider) {
		Route secured = Route.of("orders", "/orders/**", Backend.of("orders", 1))
			.withAuthentication(new AuthenticationPolicy(new JwtRequirement(List.of("idp"), false), null));
		Route optional = Route.of("optional", "/optional/**", Backend.of("orders", 1))
			.withAuthentication(new AuthenticationPolicy(new JwtRequirement(List.of("idp"), true), null));
		Route open = Route.of("open", "/open/**", Backend.of("orders", 1));
		routing.apply(new MeshConfig(List.of(Upstream.of("orders", orders.url())), List.of(secured, optional, open),
				List.of(provider), List.of(), List.of()));
	}

	private JWTClaimsSet.Builder claims() {
		// a new jwt id per token: no two requests share a cached verification unless a test wants it
		return TestTokens.claims("alice").jwtID("t" + ids.incrementAndGet());
	}

	private HttpResponse<String> get(String path, String token) {
		return client.get(path, Map.of("Authorization", "Bearer " + token));
	}

	private void assertRefused(HttpResponse<String> response, String error, String description, String token) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
				BEARER + (error == null ? "" : ", error=\"" + error + "\", error_description=\"" + description + "\""));
		assertThat(response.body()).contains("\"message\":\"" + description + "\"").doesNotContain(token);
		assertThat(orders.hits()).isZero();
	}

	/** The count of this test's decisions. */
	private double authn(String route, String provider, String outcome) {
		return authn("route", route, "method", "jwt", "provider", provider, "outcome", outcome);
	}

	private double authn(String... tags) {
		return meters.find("meshgate.authn.requests").tags(tags).counters().stream()
			.mapToDouble(c -> c.count() - countedBefore.getOrDefault(c.getId(), 0.0))
			.sum();
	}

	@ParameterizedTest
	@ValueSource(strings = { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA" })
	void aTokenSignedWithEachAlgorithmIsVerifiedAndItsSubjectReachesTheUpstream(String algorithm) {
		applyRoutes(provider());
		String token = IDP.sign(JWSAlgorithm.parse(algorithm), claims().build());

		HttpResponse<String> response = get("/orders/1", token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(orders.received()).singleElement()
			.satisfies(received -> assertThat(received.headers()).containsEntry("x-user", "alice"));
		assertThat(authn("orders", "idp", "success")).isEqualTo(1);
	}

	@Test
	void inlineKeysVerifyWithoutAnyFetch() {
		applyRoutes(JwtProvider.inline("idp", TestTokens.ISSUER, IDP.jwks()));

		assertThat(get("/orders/1", IDP.sign(JWSAlgorithm.ES256, claims().build())).statusCode()).isEqualTo(200);
		assertThat(jwks.fetches()).isZero();
	}

	@Test
	void aRequestWithoutATokenIsChallengedWithoutAnErrorCode() {
		applyRoutes(provider());

		assertRefused(client.get("/orders/1"), null, "authentication required", "-");
		assertThat(authn("route", "orders", "outcome", "missing")).isEqualTo(1);
	}

	@Test
	void allowMissingLetsARequestWithoutATokenThroughButNotABadToken() {
		applyRoutes(provider());

		assertThat(client.get("/optional/1").statusCode()).isEqualTo(200);
		String expired = IDP.sign(JWSAlgorithm.RS256, claims().expirationTime(Date.from(Instant.now().minusSeconds(3600)))
			.build());
		assertThat(get("/optional/1", expired).statusCode()).isEqualTo(401);
	}

	@Test
	void algNoneIsRefused() {
		applyRoutes(provider());
		String token = TestTokens.unsigned(claims().build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's algorithm is not accepted", token);
		assertThat(authn("orders", "idp", "algorithm-not-allowed")).isEqualTo(1);
	}

	@Test
	void hmacSignedWithThePublicKeyIsRefused() {
		applyRoutes(provider());
		String token = IDP.hmacWithPublicKey(claims().build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's algorithm is not accepted", token);
	}

	@Test
	void anExpiredTokenIsRefused() {
		applyRoutes(provider());
		// an hour past exp: beyond the default 60s of clock skew
		String token = IDP.sign(JWSAlgorithm.RS256,
				claims().expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token has expired", token);
		assertThat(authn("orders", "idp", "expired")).isEqualTo(1);
	}

	@Test
	void aTokenExpiredWithinTheClockSkewIsAccepted() {
		applyRoutes(provider());
		String token = IDP.sign(JWSAlgorithm.RS256,
				claims().expirationTime(Date.from(Instant.now().minusSeconds(20))).build());

		assertThat(get("/orders/1", token).statusCode()).isEqualTo(200);
	}

	@Test
	void aTokenNotYetValidIsRefused() {
		applyRoutes(provider());
		String token = IDP.sign(JWSAlgorithm.ES384,
				claims().notBeforeTime(Date.from(Instant.now().plusSeconds(3600))).build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token is not yet valid", token);
		assertThat(authn("orders", "idp", "not-yet-valid")).isEqualTo(1);
	}

	@Test
	void aTokenOfAnotherIssuerIsRefusedOnTheRouteAndLeftAloneElsewhere() {
		applyRoutes(provider());
		String token = IDP.sign(JWSAlgorithm.RS256, claims().issuer("https://other.test").build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's issuer is not accepted", token);
		assertThat(get("/open/1", token).statusCode()).isEqualTo(200);
		assertThat(authn("orders", "none", "issuer-not-accepted")).isEqualTo(1);
	}

	@Test
	void aTokenForAnotherAudienceIsRefused() {
		applyRoutes(provider());
		String token = IDP.sign(JWSAlgorithm.PS256, claims().audience("billing").build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's audience is not accepted", token);
		assertThat(authn("orders", "idp", "wrong-audience")).isEqualTo(1);
	}

	@Test
	void aTamperedSignatureIsRefused() {
		applyRoutes(provider());
		String token = TestTokens.tampered(IDP.sign(JWSAlgorithm.RS256, claims().build()));

		assertRefused(get("/orders/1", token), "invalid_token", "the token's signature is invalid", token);
		assertThat(authn("orders", "idp", "bad-signature")).isEqualTo(1);
	}

	@Test
	void aTokenSignedByAKeyOfAnotherIdpUnderAKnownKidIsRefused() {
		applyRoutes(provider());
		TestTokens forger = new TestTokens("a");
		String token = forger.sign(JWSAlgorithm.ES256, claims().build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's signature is invalid", token);
	}

	@Test
	void anUnknownKidIsRefusedAfterOneRefetchAndRefetchesAtMostOncePerTenSeconds() {
		applyRoutes(provider());
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/orders/1", IDP.sign(JWSAlgorithm.RS256, claims().build()))
			.statusCode() == 200);
		int before = jwks.fetches();
		TestTokens stranger = new TestTokens("stranger");

		for (int i = 0; i < 3; i++) {
			String token = stranger.sign(JWSAlgorithm.RS256, claims().build());
			assertThat(get("/orders/1", token).statusCode()).isEqualTo(401);
		}

		assertThat(jwks.fetches()).isEqualTo(before + 1);
		assertThat(authn("orders", "idp", "unknown-key")).isEqualTo(3);
		assertThat(get("/orders/1", stranger.sign(JWSAlgorithm.RS256, claims().build())).headers()
			.firstValue("WWW-Authenticate")).hasValue(
					BEARER + ", error=\"invalid_token\", error_description=\"the token's signing key is unknown\"");
	}

	@Test
	void aMalformedTokenIsRefused() {
		applyRoutes(provider());
		for (String token : List.of("not-a-jwt", "eyJhbGciOiJSUzI1NiJ9.e30", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")) {
			assertRefused(get("/orders/1", token), "invalid_token", "the token is malformed", token);
		}
		assertThat(authn("orders", "none", "malformed")).isEqualTo(4);
	}

	@Test
	void keysRotatedAtTheIdpArePickedUpWithoutA401() throws Exception {
		applyRoutes(provider());
		TestTokens next = new TestTokens("b");
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/orders/1", IDP.sign(JWSAlgorithm.RS256, claims().build()))
			.statusCode() == 200);
		int fetchesBefore = jwks.fetches();
		TestTokens[] signer = { IDP };
		List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicInteger withNewKey = new AtomicInteger();
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		List<Thread> clients = new ArrayList<>();
		for (int c = 0; c < 4; c++) {
			Thread thread = new Thread(() -> {
				while (running.get()) {
					TestTokens current = signer[0];
					statuses.add(get("/orders/1", current.sign(JWSAlgorithm.RS256, claims().build())).statusCode());
					if (current == next) {
						withNewKey.incrementAndGet();
					}
				}
			});
			thread.start();
			clients.add(thread);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> statuses.size() >= 20);

		// the IdP publishes its new key next to the old one and signs with it at once
		List<com.nimbusds.jose.jwk.JWK> both = new ArrayList<>(IDP.publicKeys());
		both.addAll(next.publicKeys());
		jwks.serve(new com.nimbusds.jose.jwk.JWKSet(both).toString(true));
		signer[0] = next;
		await().atMost(Duration.ofSeconds(20)).until(() -> withNewKey.get() >= 20);
		// then retires the old key
		jwks.serve(next.jwks());
		int afterRetirement = withNewKey.get();
		await().atMost(Duration.ofSeconds(20)).until(() -> withNewKey.get() >= afterRetirement + 20);
		running.set(false);
		for (Thread thread : clients) {
			thread.join(10_000);
		}

		assertThat(count(statuses.stream().map(String::valueOf).toList())).containsOnlyKeys("200");
		assertThat(jwks.fetches()).isEqualTo(fetchesBefore + 1);
		assertThat(authn("orders", "idp", "unknown-key")).isZero();
	}

	@Test
	void headersOfClaimsAreRemovedFromEveryRequestAndSetOnlyFromAVerifiedToken() {
		applyRoutes(provider());

		assertThat(client.get("/open/1", Map.of("x-user", "mallory")).statusCode()).isEqualTo(200);
		String token = IDP.sign(JWSAlgorithm.RS256, claims().build());
		assertThat(client.get("/open/2", Map.of("x-user", "mallory", "Authorization", "Bearer " + token)).statusCode())
			.isEqualTo(200);

		assertThat(orders.received()).hasSize(2);
		assertThat(orders.received().get(0).headers()).doesNotContainKey("x-user");
		assertThat(orders.received().get(1).headers()).containsEntry("x-user", "alice");
	}

	@Test
	void tokensAreReadFromACookieOrAQueryParameterWhenTheProviderSaysSo() {
		applyRoutes(provider().withTokenPlaces(List.of(), List.of("session"), List.of("access_token")));
		String token = IDP.sign(JWSAlgorithm.ES256, claims().build());

		assertThat(client.get("/orders/1", Map.of("Cookie", "session=" + token)).statusCode()).isEqualTo(200);
		assertThat(client.get("/orders/2?access_token=" + token).statusCode()).isEqualTo(200);
		// the Authorization header is not a place this provider reads: a token there is another's
		assertThat(get("/orders/3", token).statusCode()).isEqualTo(401);
	}

	@Test
	void theKeysAgeAndFetchesAreMetered() {
		applyRoutes(provider());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> counter("meshgate.jwt.jwks.fetches", "provider", "idp", "outcome", "success") == 1);

		assertThat(meters.find("meshgate.jwt.jwks.age").tag("provider", "idp").gauge().value()).isBetween(0.0, 60.0);
	}

	@Test
	void aFailingJwksIsCountedAndItsTokensAreRefusedAsKeysUnavailable() {
		jwks.close();
		applyRoutes(provider());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> counter("meshgate.jwt.jwks.fetches", "provider", "idp", "outcome", "failure") >= 1);
		String token = IDP.sign(JWSAlgorithm.RS256, claims().build());

		assertRefused(get("/orders/1", token), "invalid_token", "the token's signing keys are unavailable", token);
	}

}
