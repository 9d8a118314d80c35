package io.meshgate.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-item versions over the admin API: an edit sent with the version it read conflicts only
 * when the same item changed since; a change to another item is kept and the edit is applied
 * on top of it.
 */
class ItemVersionsTest extends AdminTestSupport {

	@Test
	void anEditOfOneRouteIsAppliedAfterAnotherRouteAndAnUpstreamChanged() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		editor.post("/api/routes", route("shop", "/shop/**", "a", 1), null);
		editor.post("/api/routes", route("cart", "/cart/**", "a", 1), null);
		AdminClient.Answer read = editor.get("/api/routes/shop");
		// someone else, meanwhile: another route and an upstream
		assertThat(editor.put("/api/routes/cart", withTimeout(route("cart", "/cart/**", "a", 1), "3s"), null).status())
			.isEqualTo(200);
		assertThat(editor.post("/api/upstreams", upstream("b", "http://127.0.0.1:10"), null).status()).isEqualTo(200);

		AdminClient.Answer mine = editor.put("/api/routes/shop", withTimeout(route("shop", "/shop/**", "a", 1), "5s"),
				read.etag());

		assertThat(mine.status()).as(mine.body()).isEqualTo(200);
		assertThat(mine.version()).isEqualTo(read.version() + 3);
		assertThat(editor.get("/api/routes/shop").json()).containsEntry("timeout", "5s");
		assertThat(editor.get("/api/routes/cart").json()).containsEntry("timeout", "3s");
		assertThat(editor.get("/api/upstreams/b").status()).isEqualTo(200);
	}

	@Test
	void anEditOfARouteSomeoneElseChangedGets409WithTheirsAndWhatChangedAndChangesNothing() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("b", "http://127.0.0.1:10"), null);
		editor.post("/api/routes", route("shop", "/shop/**", "a", 90, "b", 10), null);
		AdminClient.Answer read = editor.get("/api/routes/shop");
		AdminClient.Answer theirs = editor.put("/api/routes/shop", route("shop", "/shop/**", "a", 50, "b", 50), null);
		assertThat(theirs.status()).isEqualTo(200);

		AdminClient.Answer mine = editor.put("/api/routes/shop",
				withTimeout(route("shop", "/shop/**", "a", 90, "b", 10), "5s"), read.etag());

		assertThat(mine.status()).as(mine.body()).isEqualTo(409);
		Map<String, Object> body = mine.json();
		assertThat(body).containsEntry("currentVersion", (int) theirs.version())
			.containsEntry("readVersion", (int) read.version())
			.containsEntry("item", Map.of("kind", "routes", "name", "shop"));
		assertThat(body.get("message").toString()).startsWith("route shop changed since version " + read.version());
		assertThat(body.get("theirs").toString()).contains("weight=50");
		assertThat(body.get("changesSince").toString()).contains("summary=route shop: weights 90/10 → 50/50")
			.contains("author=" + EDITOR);
		assertThat(editor.get("/api/routes/shop").json()).doesNotContainKey("timeout");

		// applying mine on top of theirs: sent with the version the conflict named
		AdminClient.Answer again = editor.put("/api/routes/shop",
				withTimeout(route("shop", "/shop/**", "a", 90, "b", 10), "5s"), "\"" + body.get("currentVersion") + "\"");
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		assertThat(editor.get("/api/routes/shop").json()).containsEntry("timeout", "5s");
	}

	@Test
	void aDeleteOfAnUpstreamSomeoneElseChangedGets409AndADeletedItemHasNoTheirs() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("b", "http://127.0.0.1:10"), null);
		AdminClient.Answer read = editor.get("/api/upstreams/a");
		editor.put("/api/upstreams/a", upstream("a", "http://127.0.0.1:11"), null);

		AdminClient.Answer delete = editor.delete("/api/upstreams/a", read.etag());

		assertThat(delete.status()).as(delete.body()).isEqualTo(409);
		assertThat(editor.get("/api/upstreams/a").status()).isEqualTo(200);

		// b was read at the same version and nobody changed it: its delete goes through
		assertThat(editor.delete("/api/upstreams/b", read.etag()).status()).isEqualTo(200);
		// a, deleted by someone else meanwhile, then edited from the stale read: theirs is gone
		AdminClient.Answer readA = editor.get("/api/upstreams/a");
		editor.delete("/api/upstreams/a", null);
		AdminClient.Answer put = editor.put("/api/upstreams/a", upstream("a", "http://127.0.0.1:12"), readA.etag());
		assertThat(put.status()).isEqualTo(409);
		assertThat(put.json()).containsEntry("theirs", null);
	}

	@Test
	void aWholeConfigurationEditStillConflictsWithAnyChange() {
		AdminClient.Answer read = editor.get("/api/config");
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);

		AdminClient.Answer replace = editor.put("/api/config", Map.of("upstreams", List.of(), "routes", List.of()),
				read.etag());

		assertThat(replace.status()).isEqualTo(409);
		assertThat(replace.json().get("message").toString())
			.startsWith("the configuration changed since version " + read.version());
		assertThat(editor.get("/api/upstreams/a").status()).isEqualTo(200);
	}

	/** A route with backends given as upstream, weight, upstream, weight, … in order. */
	static Map<String, Object> route(String id, String path, Object... backends) {
		List<Map<String, Object>> list = new java.util.ArrayList<>();
		for (int i = 0; i < backends.length; i += 2) {
			list.add(Map.of("upstream", backends[i], "weight", backends[i + 1]));
		}
		Map<String, Object> route = new LinkedHashMap<>();
		route.put("id", id);
		route.put("match", Map.of("path", path));
		route.put("backends", list);
		return route;
	}

	static Map<String, Object> withTimeout(Map<String, Object> route, String timeout) {
		Map<String, Object> timed = new LinkedHashMap<>(route);
		timed.put("timeout", timeout);
		return timed;
	}

}
