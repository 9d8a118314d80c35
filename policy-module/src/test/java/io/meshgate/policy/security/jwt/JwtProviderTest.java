package io.meshgate.policy.security.jwt;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.authn.AuthenticationPolicy;
import io.meshgate.policy.security.authn.JwtRequirement;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid field of a JWT provider, each with its message. */
class JwtProviderTest {

	private static final URI JWKS = URI.create("https://idp.test/jwks.json");

	@Test
	void theDefaultsReadTheBearerHeaderWithAMinuteOfSkew() {
		JwtProvider provider = JwtProvider.remote("idp", "https://idp.test", JWKS);
		assertThat(provider.fromHeaders()).containsExactly(TokenHeader.BEARER);
		assertThat(provider.clockSkew()).isEqualTo(Duration.ofSeconds(60));
		assertThat(provider.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void exactlyOneKeySourceIsRequired() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JwtProvider("idp", "https://idp.test", null, null, null, null, null, null, null, null,
					null))
			.withMessage("jwksUri: null (expected: exactly one of jwksUri and jwks)");
	}

	@Test
	void theJwksUriIsHttp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JwtProvider.remote("idp", "https://idp.test", URI.create("file:///etc/keys")))
			.withMessage("jwksUri: file:///etc/keys (expected: an absolute https:// or http:// URI)");
	}

	@Test
	void inlineKeysArePublicKeysOnly() {
		TestTokens tokens = new TestTokens("k");
		String withPrivate = new com.nimbusds.jose.jwk.JWKSet(
				new com.nimbusds.jose.jwk.RSAKey.Builder((java.security.interfaces.RSAPublicKey) tokens.rsa.getPublic())
					.privateKey(tokens.rsa.getPrivate())
					.build())
			.toString(false);
		assertThatIllegalArgumentException().isThrownBy(() -> JwtProvider.inline("idp", "https://idp.test", withPrivate))
			.withMessage("jwks: a private key (expected: public keys only)");
		assertThatIllegalArgumentException().isThrownBy(() -> JwtProvider.inline("idp", "https://idp.test", "{nope"))
			.withMessage("jwks: not a JWK Set (expected: {\"keys\": [...]} as JSON)");
	}

	@Test
	void theClockSkewIsBounded() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JwtProvider("idp", "https://idp.test", JWKS, null, null, null, null, null,
					Duration.ofMinutes(6), null, null))
			.withMessage("clockSkew: PT6M (expected: 0s-5m)");
	}

	@Test
	void aClaimNeverSetsAHeaderTheGatewayOwns() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClaimToHeader("sub", "Authorization"))
			.withMessage("header: Authorization (expected: not a header HTTP or the gateway owns, such as Host, "
					+ "Authorization or x-meshgate-*)");
	}

	@Test
	void issuersAreUniqueAndRoutesNameExistingProviders() {
		JwtProvider one = JwtProvider.remote("one", "https://idp.test", JWKS);
		JwtProvider two = JwtProvider.remote("two", "https://idp.test", JWKS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(), List.of(), List.of(one, two), List.of(), List.of()))
			.withMessage("jwtProviders[two].issuer: https://idp.test (expected: unique, one provider per issuer)");
		Route route = Route.of("r", "/r/**", Backend.of("u", 1))
			.withAuthentication(new AuthenticationPolicy(new JwtRequirement(List.of("nope"), null), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("u", "http://127.0.0.1:1")), List.of(route),
					List.of(one), List.of(), List.of()))
			.withMessage("routes[r].authentication.jwt.providers[0]: nope (expected: one of the jwtProviders [one])");
	}

	@Test
	void anAuthenticationRequiresSomething() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthenticationPolicy(null, null))
			.withMessage("jwt: null (expected: jwt, apiKey or both)");
		assertThatIllegalArgumentException().isThrownBy(() -> new JwtRequirement(List.of(), null))
			.withMessage("providers: [] (expected: at least one JWT provider's name)");
	}

}
