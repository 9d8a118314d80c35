package io.meshgate.gateway.admin;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/schema}: the configuration's JSON Schema, generated from the records, for any
 * logged-in role, with an ETag to revalidate against.
 */
class AdminSchemaTest extends AdminTestSupport {

	@Test
	void anyRoleReadsTheSchemaWithTheRecordsDefaults() {
		AdminClient.Answer answer = viewer().get("/api/schema");

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.response().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/schema+json"));
		Map<String, Object> schema = answer.json();
		assertThat(schema).containsEntry("$schema", "https://json-schema.org/draft/2020-12/schema")
			.containsEntry("$ref", "#/$defs/MeshConfig");
		RetryPolicy retries = new RetryPolicy(null, null, null, null, null, null, null, null, null);
		Map<String, Object> retry = properties(schema, "RetryPolicy");
		assertThat(map(retry.get("attempts"))).containsEntry("default", retries.attempts());
		assertThat(map(retry.get("budgetPercent"))).containsEntry("default", retries.budgetPercent());
		assertThat(map(retry.get("retryOn"))).containsEntry("default",
				List.of("connect-failure", "reset", "503", "unavailable", "cancelled", "deadline-exceeded"));
		assertThat(properties(schema, "Route")).containsKeys("id", "match", "backends", "retries", "redirect");
		assertThat(editor.get("/api/schema").body()).isEqualTo(answer.body());
	}

	@Test
	void theSchemaIsRevalidatedByItsEtagAndNotStoredByProxies() {
		AdminClient.Answer first = editor.get("/api/schema");
		assertThat(first.etag()).matches("\"[0-9a-f]{32}\"");
		assertThat(first.response().headers().allValues("Cache-Control")).containsExactly("no-cache, private");

		AdminClient.Answer again = editor.send("GET", "/api/schema", null, Map.of("If-None-Match", first.etag()));
		assertThat(again.status()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.etag()).isEqualTo(first.etag());

		AdminClient.Answer other = editor.send("GET", "/api/schema", null, Map.of("If-None-Match", "\"1\""));
		assertThat(other.status()).isEqualTo(200);
	}

	@Test
	void theSchemaNeedsALogin() {
		assertThat(AdminClient.anonymous(adminPort).get("/api/schema").status()).isEqualTo(401);
	}

	private static Map<String, Object> properties(Map<String, Object> schema, String record) {
		return map(map(map(schema.get("$defs")).get(record)).get("properties"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
