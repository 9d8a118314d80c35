package io.meshgate.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the admin API answers besides a successful edit: broken YAML with its line and column,
 * 415 and 403 in the API's JSON error format, history summaries that say what changed, and the
 * icon browsers ask for.
 */
class AdminAnswersTest extends AdminTestSupport {

	@Test
	void aBrokenYamlImportNamesItsLineAndColumn() {
		AdminClient.Answer rejected = editor.post("/api/import", "upstreams: []\nroutes:\n  - id: x\n    match: {path: /x\n", null);

		assertThat(rejected.status()).isEqualTo(400);
		@SuppressWarnings("unchecked")
		Map<String, Object> error = ((List<Map<String, Object>>) rejected.json().get("errors")).get(0);
		assertThat(error).containsEntry("path", "document");
		assertThat(error.get("message").toString()).startsWith("document: not valid YAML at line 5, column 1 (");
	}

	@Test
	void aBodyThatIsNotJsonIs415InTheApisFormat() {
		AdminClient.Answer refused = editor.sendBytes("POST", "/api/routes", "id: x".getBytes(StandardCharsets.UTF_8),
				"text/plain", null);

		assertThat(refused.status()).isEqualTo(415);
		assertThat(refused.response().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		assertThat(refused.json()).containsEntry("status", 415)
			.containsEntry("message",
					"the configuration was not changed: the body is not JSON (expected: Content-Type application/json)");
	}

	@Test
	void aWriteTheRoleMayNotDoIs403AsJson() {
		AdminClient.Answer refused = viewer().post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.response().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		assertThat(refused.json()).containsEntry("status", 403)
			.containsEntry("message", "your role may not do this (expected: the editor role for changes)");
	}

	@Test
	void aWriteWithoutTheCsrfTokenIs403AsJson() {
		AdminClient session = AdminClient.session(adminPort, EDITOR, EDITOR_PASSWORD).withoutCsrfToken();

		AdminClient.Answer refused = session.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().get("message").toString()).startsWith("the CSRF token is missing or wrong");
	}

	@Test
	void historySummariesSayWhatChanged() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		editor.post("/api/routes", ItemVersionsTest.route("shop", "/shop/**", "a", 1), null);
		editor.put("/api/routes/shop", ItemVersionsTest.withTimeout(ItemVersionsTest.route("shop", "/shop/**", "a", 1), "5s"),
				null);
		editor.put("/api/upstreams/a", upstream("a", "http://127.0.0.1:9", "http://127.0.0.1:10"), null);
		editor.post("/api/import", "upstreams: [{name: a, endpoints: ['http://127.0.0.1:9']}, {name: b, endpoints: ['http://127.0.0.1:11']}]\n"
				+ "routes: []\n", null);

		@SuppressWarnings("unchecked")
		List<String> summaries = ((List<Map<String, Object>>) editor.get("/api/history").json().get("history")).stream()
			.map(entry -> entry.get("summary").toString())
			.limit(4)
			.toList();

		assertThat(summaries).containsExactly(
				"import: upstream a: endpoints[1] uri http://127.0.0.1:10, weight 1 → none; create upstream b; delete route shop",
				"upstream a: endpoints[1] none → uri http://127.0.0.1:10, weight 1",
				"route shop: timeout none → 5s", "create route shop");
	}

	@Test
	void theIconIsServedWithoutALogin() {
		AdminClient anonymous = AdminClient.anonymous(adminPort);

		for (String path : List.of("/favicon.ico", "/ui/favicon.svg")) {
			AdminClient.Answer icon = anonymous.get(path);
			assertThat(icon.status()).as(path).isEqualTo(200);
			assertThat(icon.response().headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("image/svg+xml"));
			assertThat(icon.body()).startsWith("<svg");
		}
	}

}
