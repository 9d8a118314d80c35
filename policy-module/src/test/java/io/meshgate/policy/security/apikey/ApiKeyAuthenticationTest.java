package io.meshgate.policy.security.apikey;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.authn.ApiKeyRequirement;
import io.meshgate.policy.security.authn.AuthenticationPolicy;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys as consumers end to end: keys configured as hashes, presented in a header, the
 * consumer becoming the request's identity, the key never reaching the upstream or an answer.
 */
class ApiKeyAuthenticationTest extends GatewayTest {

	private static final String SHOP_KEY = "3f1c9a7e5b2d4f608a1c3e5b7d9f1a2c";

	private static final String PARTNER_KEY = "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d";

	private TestUpstream orders;

	@BeforeEach
	void applyKeys() {
		orders = start("orders");
		Route keyed = Route.of("keyed", "/keyed/**", Backend.of("orders", 1))
			.withAuthentication(new AuthenticationPolicy(null, new ApiKeyRequirement(null)));
		Route custom = Route.of("custom", "/custom/**", Backend.of("orders", 1))
			.withAuthentication(new AuthenticationPolicy(null, new ApiKeyRequirement("x-partner-key")));
		routing.apply(new MeshConfig(List.of(Upstream.of("orders", orders.url())), List.of(keyed, custom), List.of(),
				List.of(Consumer.of("shop-frontend", CredentialHash.text(SHOP_KEY)),
						Consumer.of("partner", CredentialHash.text("old-partner-key-rotated-away-000"),
								CredentialHash.text(PARTNER_KEY))), List.of()));
	}

	@Test
	void aConsumersKeyPassesAndIsNotForwarded() {
		HttpResponse<String> response = client.get("/keyed/1", Map.of("x-api-key", SHOP_KEY));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(orders.received()).singleElement()
			.satisfies(received -> assertThat(received.headers()).doesNotContainKey("x-api-key"));
	}

	@Test
	void anyOfAConsumersKeysPassesInTheRoutesHeader() {
		assertThat(client.get("/custom/1", Map.of("x-partner-key", PARTNER_KEY)).statusCode()).isEqualTo(200);
		assertThat(client.get("/custom/1", Map.of("x-api-key", PARTNER_KEY)).statusCode()).isEqualTo(401);
	}

	@Test
	void anUnknownKeyIsRefusedWithoutEchoingIt() {
		String guess = SHOP_KEY.substring(0, 31) + "0";

		HttpResponse<String> response = client.get("/keyed/1", Map.of("x-api-key", guess));

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
				"ApiKey realm=\"meshgate\", header=\"x-api-key\", error=\"invalid_key\", "
						+ "error_description=\"the API key is not valid\"");
		assertThat(response.body()).contains("the API key is not valid").doesNotContain(guess);
		assertThat(orders.hits()).isZero();
	}

	@Test
	void aRequestWithoutAKeyIsChallenged() {
		HttpResponse<String> response = client.get("/keyed/1");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate"))
			.containsExactly("ApiKey realm=\"meshgate\", header=\"x-api-key\"");
	}

	@Test
	void consumersAreCountedByOutcome() {
		double before = counter("meshgate.authn.requests", "route", "keyed", "method", "api-key", "outcome", "success");

		client.get("/keyed/1", Map.of("x-api-key", SHOP_KEY));

		assertThat(counter("meshgate.authn.requests", "route", "keyed", "method", "api-key", "outcome", "success"))
			.isEqualTo(before + 1);
	}

}
