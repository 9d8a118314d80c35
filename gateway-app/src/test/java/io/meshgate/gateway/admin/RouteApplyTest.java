package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edit is applied whole or refused: every route converts through Spring Cloud Gateway's own
 * factories inside the edit, so a route the gateway cannot build is answered 400 with its name,
 * never stored, and the routes running before keep serving.
 */
class RouteApplyTest extends AdminTestSupport {

	private static final String REFUSED_FILTER = "routes[notes]: filter RequestHeaderModifier (expected: arguments "
			+ "Spring Cloud Gateway's RequestHeaderModifier factory accepts; its answer is in the gateway's log)";

	/**
	 * Valid as configuration (the header value does not start with {@code #{}), but Spring Cloud
	 * Gateway trims an argument before deciding it is an expression, evaluates it, and fails.
	 */
	private static Map<String, Object> routeOnlyTheFactoryRefuses() {
		Map<String, Object> notes = new LinkedHashMap<>(route("notes", "/notes/**", Map.of("orders", 1)));
		notes.put("requestHeaders", Map.of("set", Map.of("x-note", " #{1/0}")));
		return notes;
	}

	@Test
	void aRouteTheGatewayCannotBuildIsRefusedWith400NamingItAndTheRunningRoutesKeepServing() {
		TestUpstream orders = start("orders");
		assertThat(editor.post("/api/upstreams", upstream("orders", orders.url()), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/routes", route("orders", "/orders/**", Map.of("orders", 1)), null).status())
			.isEqualTo(200);
		// the first request of a fresh gateway may take a while on a loaded machine
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/orders/1").body(), "orders"::equals);
		long version = editor.get("/api/config").version();

		AdminClient.Answer dryRun = editor.post("/api/routes?dryRun=true", routeOnlyTheFactoryRefuses(), null);
		AdminClient.Answer refused = editor.post("/api/routes", routeOnlyTheFactoryRefuses(), null);

		for (AdminClient.Answer answer : List.of(dryRun, refused)) {
			assertThat(answer.status()).as(answer.body()).isEqualTo(400);
			assertThat(answer.json().get("errors"))
				.isEqualTo(List.of(Map.of("path", "routes[notes]", "message", REFUSED_FILTER)));
			assertThat(answer.body()).doesNotContain("1/0").doesNotContainIgnoringCase("exception");
		}
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
		assertThat(editor.get("/api/routes/notes").status()).isEqualTo(404);
		assertThat(ingress.get("/orders/1").body()).isEqualTo("orders");
		assertThat(ingress.get("/notes/1").statusCode()).isEqualTo(404);

		// the refused route left nothing behind that would hold up the next edit
		AdminClient.Answer next = editor.post("/api/routes", route("more", "/more/**", Map.of("orders", 1)), null);
		assertThat(next.status()).as(next.body()).isEqualTo(200);
		assertThat(next.json()).containsEntry("applied", true);
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/more/1").body(), "orders"::equals);
	}

	@Test
	void everyRouteThatCannotBeBuiltIsNamedInOneAnswer() {
		editor.post("/api/upstreams", upstream("orders", "http://127.0.0.1:9"), null);
		Map<String, Object> second = new LinkedHashMap<>(routeOnlyTheFactoryRefuses());
		second.put("id", "notes2");
		second.put("match", Map.of("path", "/notes2/**"));

		AdminClient.Answer refused = editor.put("/api/config",
				Map.of("upstreams", List.of(upstream("orders", "http://127.0.0.1:9")),
						"routes", List.of(routeOnlyTheFactoryRefuses(), second)), null);

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.json().get("errors")).isEqualTo(List.of(
				Map.of("path", "routes[notes]", "message", REFUSED_FILTER),
				Map.of("path", "routes[notes2]", "message", REFUSED_FILTER.replace("routes[notes]", "routes[notes2]"))));
	}

}
