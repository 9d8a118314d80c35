package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JWT providers and consumers through the admin API: a whole-configuration write stores and
 * applies them, reads return them (keys only as hashes), an invalid one is refused with its
 * path and changes nothing, and a route edit keeps them.
 */
class AdminIdentityObjectsTest extends AdminTestSupport {

	private static final String KEY = "5e0c1b2a3d4f5e6a7b8c9d0e1f2a3b4c";

	private static Map<String, Object> config(String upstreamUrl, String apiKeyHash) {
		Map<String, Object> route = new LinkedHashMap<>(route("orders", "/orders/**", Map.of("orders", 1)));
		route.put("authentication", Map.of("apiKey", Map.of("fromHeader", "x-api-key")));
		return Map.of("upstreams", List.of(upstream("orders", upstreamUrl)), "routes", List.of(route),
				"jwtProviders",
				List.of(Map.of("name", "idp", "issuer", "https://idp.example.com", "jwks",
						"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\","
								+ "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\","
								+ "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}]}")),
				"consumers", List.of(Map.of("name", "shop-frontend", "apiKeys", List.of(apiKeyHash))));
	}

	@Test
	void aWholeConfigurationWithProvidersAndConsumersIsStoredAppliedAndReadBack() {
		TestUpstream orders = start("orders");
		AdminClient.Answer written = editor.put("/api/config", config(orders.url(), CredentialHash.text(KEY)), null);
		assertThat(written.status()).as(written.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> ingress.get("/orders/1", Map.of("x-api-key", KEY)).statusCode() == 200);
		assertThat(ingress.get("/orders/1", Map.of("x-api-key", "wrong")).statusCode()).isEqualTo(401);
		AdminClient.Answer read = viewer().get("/api/config");
		assertThat(read.json()).containsKeys("jwtProviders", "consumers");
		assertThat(read.body()).contains(CredentialHash.text(KEY)).doesNotContain(KEY + "\"");
		assertThat(viewer().get("/api/export").body()).contains("jwtProviders:").contains("issuer: https://idp.example.com");

		// a route edited on its own leaves the providers and consumers as they were
		Map<String, Object> edited = new LinkedHashMap<>(editor.get("/api/routes/orders").json());
		edited.put("timeout", "5s");
		assertThat(editor.put("/api/routes/orders", edited, null).status()).isEqualTo(200);
		assertThat(editor.get("/api/config").json()).containsKeys("jwtProviders", "consumers");
	}

	@Test
	void anInvalidProviderOrConsumerIsRefusedWithItsPathAndChangesNothing() {
		long before = editor.get("/api/config").version();
		Map<String, Object> invalid = new LinkedHashMap<>(config("http://127.0.0.1:9", "plain-" + KEY));

		AdminClient.Answer refused = editor.put("/api/config", invalid, null);

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.json().get("errors")).isEqualTo(List.of(Map.of("path", "consumers[shop-frontend].apiKeys[0]",
				"message", "apiKeys[0]: not a key hash (expected: sha256: and 64 lower-case hex digits, the SHA-256 of "
						+ "the key; plain keys are never stored)")));
		assertThat(refused.body()).doesNotContain(KEY);
		assertThat(editor.get("/api/config").version()).isEqualTo(before);
	}

	@Test
	void providersAndConsumersHaveItemEndpointsLikeUpstreams() {
		String hash = CredentialHash.text(KEY);
		AdminClient.Answer created = editor.post("/api/consumers", Map.of("name", "partner", "apiKeys", List.of(hash)),
				null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);

		assertThat(viewer().get("/api/consumers/partner").json()).containsEntry("apiKeys", List.of(hash));
		assertThat(viewer().get("/api/consumers").body()).contains("\"partner\"");
		assertThat(viewer().post("/api/consumers", Map.of("name", "x"), null).status()).isEqualTo(403);
		assertThat(editor.post("/api/consumers", Map.of("name", "partner"), null).status()).isEqualTo(400);
		assertThat(editor.delete("/api/consumers/partner", null).status()).isEqualTo(200);
		assertThat(editor.get("/api/consumers/partner").status()).isEqualTo(404);
		assertThat(editor.get("/api/jwtProviders").json()).containsEntry("jwtProviders", List.of());
	}

}
