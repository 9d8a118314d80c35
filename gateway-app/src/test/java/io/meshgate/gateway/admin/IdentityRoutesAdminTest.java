package io.meshgate.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes that match on claims and peer principals through the admin API: stored and shown as
 * written, refused with 400 and their path when invalid, and found by the route tester for a
 * caller the tester's input describes.
 */
class IdentityRoutesAdminTest extends AdminTestSupport {

	@Test
	void invalidClaimAndPrincipalMatchesAnswer400WithTheirPathAndChangeNothing() {
		editor.post("/api/upstreams", upstream("shop", "http://127.0.0.1:9"), null);
		long version = editor.get("/api/config").version();

		AdminClient.Answer emptyName = editor.post("/api/routes", Map.of("id", "beta", "match",
				Map.of("path", "/a", "claims", Map.of("", "beta")), "backends", List.of(Map.of("upstream", "shop"))), null);
		AdminClient.Answer badRegex = editor.post("/api/routes", Map.of("id", "beta", "match",
				Map.of("path", "/a", "claims", Map.of("tier", "(beta")), "backends", List.of(Map.of("upstream", "shop"))),
				null);
		AdminClient.Answer badPrincipal = editor.post("/api/routes", Map.of("id", "beta", "match",
				Map.of("path", "/a", "principals", List.of("spiffe://a/*/web")), "backends",
				List.of(Map.of("upstream", "shop"))), null);
		AdminClient.Answer badHashKey = editor.post("/api/routes", Map.of("id", "beta", "match", Map.of("path", "/a"),
				"backends", List.of(Map.of("upstream", "shop")), "rateLimit", Map.of("maxTokens", 5, "keyOn", "claim:")),
				null);

		assertThat(emptyName.status()).as(emptyName.body()).isEqualTo(400);
		assertThat(emptyName.body()).contains("\"path\":\"routes[beta].match.claims\"")
			.contains("claims:  (expected: names that are not empty)");
		assertThat(badRegex.status()).as(badRegex.body()).isEqualTo(400);
		assertThat(badRegex.body()).contains("routes[beta].match")
			.contains("claims.tier: (beta (expected: a regular expression RE2 accepts");
		assertThat(badPrincipal.status()).as(badPrincipal.body()).isEqualTo(400);
		assertThat(badPrincipal.body()).contains("routes[beta].match").contains(
				"principals[0]: spiffe://a/*/web (expected: a principal, a prefix ending in *, a suffix starting with *, or *)");
		assertThat(badHashKey.status()).as(badHashKey.body()).isEqualTo(400);
		assertThat(badHashKey.body()).contains("routes[beta].rateLimit.keyOn").contains("hashOn: claim: (expected: ");
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
		assertThat(editor.get("/api/routes/beta").status()).isEqualTo(404);
	}

	@Test
	void theRouteTesterFindsIdentityRoutesForTheCallerItIsGiven() {
		editor.post("/api/upstreams", upstream("orders-v1", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("orders-v2", "http://127.0.0.1:9"), null);
		AdminClient.Answer beta = editor.post("/api/routes", Map.of("id", "beta", "match",
				Map.of("path", "/orders/**", "claims", Map.of("tier", "beta", "realm.roles", "tester")),
				"backends", List.of(Map.of("upstream", "orders-v2"))), null);
		AdminClient.Answer mesh = editor.post("/api/routes", Map.of("id", "mesh", "match",
				Map.of("path", "/orders/**", "principals", List.of("spiffe://cluster.local/ns/shop/*")),
				"backends", List.of(Map.of("upstream", "orders-v2"))), null);
		Map<String, Object> orders = new LinkedHashMap<>(route("orders", "/orders/**",
				Map.of("orders-v1", 50, "orders-v2", 50)));
		orders.put("canary", Map.of("stickyOn", "claim:sub"));
		editor.post("/api/routes", orders, null);
		assertThat(beta.status()).as(beta.body()).isEqualTo(200);
		assertThat(mesh.status()).as(mesh.body()).isEqualTo(200);
		// stored less its defaults (pathType PATTERN)
		assertThat(editor.get("/api/routes/beta").json().get("match")).isEqualTo(Map.of("path", "/orders/**",
				"claims", Map.of("tier", "beta", "realm.roles", "tester")));

		Map<String, Object> betaTester = tester(Map.of("claims",
				Map.of("sub", "alice", "tier", "beta", "realm", Map.of("roles", List.of("user", "tester")))));
		Map<String, Object> betaUser = tester(Map.of("claims", Map.of("sub", "alice", "tier", "beta")));
		Map<String, Object> workload = tester(Map.of("principal", "spiffe://cluster.local/ns/shop/sa/web"));
		Map<String, Object> anonymous = editor.post("/api/tester", Map.of("path", "/orders/1",
				"headers", Map.of("tier", "beta")), null).json();

		assertThat(betaTester).containsEntry("route", "beta").containsEntry("backend", "orders-v2");
		assertThat(betaUser).containsEntry("route", "orders");
		assertThat(betaUser.get("why").toString()).startsWith("sticky on claim:sub = alice");
		assertThat(workload).containsEntry("route", "mesh");
		assertThat(anonymous).containsEntry("route", "orders").containsEntry("backend", null);
		assertThat(anonymous.get("why").toString()).contains("the request has no claim:sub to stick on");

		AdminClient.Answer unknownPart = editor.post("/api/tester", Map.of("path", "/orders/1",
				"identity", Map.of("groups", List.of("a"))), null);
		assertThat(unknownPart.status()).isEqualTo(400);
		assertThat(unknownPart.body()).contains(
				"identity.groups: [a] (expected: one of [principal, requestPrincipal, claims, consumer])");
	}

	private Map<String, Object> tester(Map<String, Object> identity) {
		AdminClient.Answer answer = editor.post("/api/tester", Map.of("path", "/orders/1", "identity", identity), null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

}
