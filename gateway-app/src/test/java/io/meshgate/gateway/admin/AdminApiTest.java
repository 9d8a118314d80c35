package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API over real HTTP, with real upstreams behind the ingress port. */
class AdminApiTest extends AdminTestSupport {

	@Test
	void createdRouteServesTrafficWithinOneSecondAndAnUpdateMovesIt() {
		TestUpstream v1 = start("v1");
		TestUpstream v2 = start("v2");
		assertThat(editor.post("/api/upstreams", upstream("orders-v1", v1.url()), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/upstreams", upstream("orders-v2", v2.url()), null).status()).isEqualTo(200);

		AdminClient.Answer created = editor.post("/api/routes", route("orders", "/orders/**", Map.of("orders-v1", 1)),
				null);

		assertThat(created.status()).as(created.body()).isEqualTo(200);
		assertThat(created.json()).containsEntry("applied", true);
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/orders/1").body(), "v1"::equals);

		AdminClient.Answer route = editor.get("/api/routes/orders");
		Map<String, Object> moved = new LinkedHashMap<>(route.json());
		moved.put("backends", List.of(Map.of("upstream", "orders-v2", "weight", 1)));
		AdminClient.Answer updated = editor.put("/api/routes/orders", moved, route.etag());
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/orders/1").body(), "v2"::equals);
	}

	@Test
	void applyingAChangeDoesNotDropRequestsInFlight() throws Exception {
		TestUpstream slow = start("slow").delay(Duration.ofMillis(1500));
		editor.post("/api/upstreams", upstream("slow", slow.url()), null);
		editor.post("/api/routes", route("slow", "/slow/**", Map.of("slow", 1)), null);
		assertThat(ingress.get("/slow/warm").body()).isEqualTo("slow");
		int before = slow.hits();

		java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> inFlight = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> ingress.get("/slow/1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.hits() > before);
		// while it waits: another route added and this route's upstream replaced
		TestUpstream fast = start("fast");
		editor.post("/api/upstreams", upstream("fast", fast.url()), null);
		AdminClient.Answer moved = editor.put("/api/routes/slow", route("slow", "/slow/**", Map.of("fast", 1)), null);
		assertThat(moved.status()).isEqualTo(200);

		java.net.http.HttpResponse<String> finished = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(finished.statusCode()).isEqualTo(200);
		assertThat(finished.body()).isEqualTo("slow");
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/slow/2").body(), "fast"::equals);
	}

	@Test
	void writeOfTheSameItemWithAStaleVersionGets409AndChangesNothing() {
		AdminClient.Answer read = editor.get("/api/config");
		assertThat(editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), read.etag()).status())
			.isEqualTo(200);

		AdminClient.Answer stale = editor.put("/api/upstreams/a", upstream("a", "http://127.0.0.1:10"), read.etag());

		assertThat(stale.status()).isEqualTo(409);
		assertThat(stale.json()).containsEntry("currentVersion", (int) read.version() + 1);
		assertThat(stale.json().get("message").toString()).contains("upstream a changed since version " + read.version());
		assertThat(editor.get("/api/upstreams/a").json().get("endpoints").toString()).contains("127.0.0.1:9");
	}

	@Test
	void dryRunShowsTheDiffAndChangesNothing() {
		AdminClient.Answer before = editor.get("/api/config");

		AdminClient.Answer dryRun = editor.post("/api/upstreams?dryRun=true", upstream("a", "http://127.0.0.1:9"),
				before.etag());

		assertThat(dryRun.status()).isEqualTo(200);
		assertThat(dryRun.json()).containsEntry("dryRun", true).containsEntry("applied", false);
		assertThat(dryRun.json().get("diff").toString()).contains("+  - name: a");
		AdminClient.Answer after = editor.get("/api/config");
		assertThat(after.etag()).isEqualTo(before.etag());
		assertThat(after.body()).isEqualTo(before.body());
	}

	@Test
	void invalidWriteAnswers400WithEveryErrorAndItsPath() {
		editor.post("/api/upstreams", upstream("orders-v1", "http://127.0.0.1:9"), null);
		long version = editor.get("/api/config").version();

		AdminClient.Answer rejected = editor.put("/api/routes/orders",
				Map.of("match", Map.of("path", "/orders/**"), "backends",
						List.of(Map.of("upstream", "orders-v1", "weight", 1), Map.of("upstream", "orders-v2", "weight", -5)),
						"timeout", "soon"),
				null);

		assertThat(rejected.status()).isEqualTo(400);
		assertThat(rejected.json().get("errors")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactlyInAnyOrder(
					Map.of("path", "routes[orders].backends[1].weight", "message", "weight: -5 (expected: >= 0)"),
					Map.of("path", "routes[orders].timeout",
							"message", "timeout: soon (expected: a duration, as in 5s or 250ms)"));
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
	}

	@Test
	void aChangeTheGatewayCannotRunIsRejectedAndNeitherStoredNorApplied() {
		long version = editor.get("/api/config").version();

		// valid as configuration, but this gateway has no Kubernetes client to discover with
		AdminClient.Answer rejected = editor.post("/api/upstreams",
				Map.of("name", "orders", "discovery", Map.of("serviceId", "orders")), null);

		assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
		assertThat(rejected.body()).contains("\"path\":\"upstreams[orders].discovery\"")
			.contains("expected: a Kubernetes client");
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
		assertThat(editor.get("/api/state").body()).doesNotContain("\"orders\"");
	}

	@Test
	void removingAnUpstreamThatARouteStillUsesIsRefusedWithThatRoutesPath() {
		editor.post("/api/upstreams", upstream("orders", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("payments", "http://127.0.0.1:10"), null);
		editor.post("/api/routes", route("pay", "/pay/**", Map.of("payments", 1)), null);
		editor.post("/api/routes", route("orders", "/orders/**", Map.of("orders", 1)), null);
		long version = editor.get("/api/config").version();

		// the routes are unchanged by this edit (their records are reused), yet still checked
		AdminClient.Answer refused = editor.delete("/api/upstreams/payments", null);

		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.json().get("errors")).isEqualTo(List.of(Map.of("path", "routes[pay].backends[0].upstream",
				"message", "upstream: payments (expected: one of the upstreams [orders])")));
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
		assertThat(editor.get("/api/upstreams/payments").status()).isEqualTo(200);
	}

	@Test
	void theRouteTesterMatchesThePathTheEdgeNormalized() {
		editor.post("/api/upstreams", upstream("orders", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("payments", "http://127.0.0.1:10"), null);
		editor.post("/api/routes", route("pay", "/pay/**", Map.of("payments", 1)), null);
		editor.post("/api/routes", route("orders", "/**", Map.of("orders", 1)), null);

		AdminClient.Answer dotted = editor.post("/api/tester", Map.of("path", "/orders/../pay/1?x=1"), null);
		AdminClient.Answer refused = editor.post("/api/tester", Map.of("path", "/orders%2F..%2Fpay/1"), null);

		assertThat(dotted.json()).containsEntry("route", "pay").containsEntry("path", "/pay/1");
		assertThat(refused.json()).containsEntry("matched", false).containsEntry("status", 400)
			.containsEntry("message", "the gateway refuses this path with 400 (see meshgate.edge.path)");
	}

	@Test
	void historyRecordsWhoWhenAndWhatAndRollbackIsANewVersion() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		AdminClient.Answer first = editor.get("/api/config");
		editor.post("/api/upstreams", upstream("b", "http://127.0.0.1:10"), null);
		long second = editor.get("/api/config").version();

		Map<String, Object> history = editor.get("/api/history").json();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> entries = (List<Map<String, Object>>) history.get("history");
		assertThat(entries.get(0)).containsEntry("version", (int) second)
			.containsEntry("author", EDITOR)
			.containsEntry("summary", "create upstream b")
			.containsKey("time");
		String diff = editor.get("/api/history/diff?from=" + first.version() + "&to=" + second).json().get("diff").toString();
		assertThat(diff).contains("+  - name: b").doesNotContain("-  - name: a");

		AdminClient.Answer rollback = editor.post("/api/history/" + first.version() + "/rollback", null,
				"\"" + second + "\"");

		assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
		assertThat(rollback.version()).isEqualTo(second + 1);
		Map<String, Object> now = editor.get("/api/config").json();
		Map<String, Object> then = first.json();
		assertThat(now.get("upstreams")).isEqualTo(then.get("upstreams"));
		assertThat(editor.get("/api/history").json().get("history").toString())
			.contains("rollback to version " + first.version());
	}

	@Test
	void exportThenImportRoundTripsUnchanged() {
		TestUpstream v1 = start("v1");
		editor.post("/api/upstreams", Map.of("name", "orders-v1", "endpoints", List.of(v1.url()), "loadBalancer",
				Map.of("policy", "RING_HASH", "hashOn", "header:x-user")), null);
		editor.post("/api/upstreams", upstream("orders-v2", "http://127.0.0.1:9"), null);
		Map<String, Object> orders = new LinkedHashMap<>(route("orders", "/orders/**", Map.of("orders-v1", 90, "orders-v2", 10)));
		orders.put("canary", Map.of("stickyOn", "cookie:session"));
		orders.put("mirrors", List.of(Map.of("upstream", "orders-v2", "percentage", 5.5)));
		orders.put("retries", Map.of("attempts", 2, "perTryTimeout", "1500ms", "retryOn", List.of("connect-failure", "503")));
		orders.put("timeout", "5s");
		orders.put("fault", Map.of("abort", Map.of("percentage", 1, "httpStatus", 503)));
		orders.put("rateLimit", Map.of("maxTokens", 100));
		assertThat(editor.post("/api/routes", orders, null).status()).isEqualTo(200);
		AdminClient.Answer exported = editor.get("/api/export");
		assertThat(exported.response().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/yaml"));

		AdminClient.Answer imported = editor.post("/api/import", exported.body(), exported.etag());

		assertThat(imported.status()).as(imported.body()).isEqualTo(200);
		assertThat(imported.json()).containsEntry("applied", false).containsEntry("diff", "");
		assertThat(editor.get("/api/export").body()).isEqualTo(exported.body());

		// into an empty store: the same document comes back out
		editor.put("/api/config", Map.of("upstreams", List.of(), "routes", List.of()), null);
		assertThat(editor.post("/api/import", exported.body(), null).status()).isEqualTo(200);
		assertThat(body(editor.get("/api/export").body())).isEqualTo(body(exported.body()));
	}

	@Test
	void importOfBrokenYamlIsRejectedWithAClearMessage() {
		AdminClient.Answer rejected = editor.post("/api/import", "routes: [\n  - id: x\n    match: {path: /x", null);

		assertThat(rejected.status()).isEqualTo(400);
		assertThat(rejected.body()).contains("not valid YAML");
	}

	@Test
	void routeTesterNamesTheRouteTheBackendAndThePoliciesWithoutSendingTheRequest() {
		TestUpstream v1 = start("v1");
		editor.post("/api/upstreams", upstream("orders-v1", v1.url()), null);
		editor.post("/api/upstreams", upstream("orders-v2", "http://127.0.0.1:9"), null);
		editor.post("/api/routes", Map.of("id", "beta", "match", Map.of("path", "/orders/**", "headers",
				Map.of("x-env", "beta")), "backends", List.of(Map.of("upstream", "orders-v2"))), null);
		Map<String, Object> orders = new LinkedHashMap<>(route("orders", "/orders/**", Map.of("orders-v1", 90, "orders-v2", 10)));
		orders.put("canary", Map.of("stickyOn", "cookie:session"));
		orders.put("timeout", "2s");
		editor.post("/api/routes", orders, null);

		Map<String, Object> sticky = editor.post("/api/tester",
				Map.of("method", "GET", "path", "/orders/7", "cookies", Map.of("session", "abc")), null).json();
		Map<String, Object> beta = editor.post("/api/tester",
				Map.of("path", "/orders/7", "headers", Map.of("X-Env", "beta")), null).json();
		Map<String, Object> none = viewer().post("/api/tester", Map.of("path", "/nope"), null).json();

		assertThat(sticky).containsEntry("route", "orders").containsKey("backend");
		assertThat(sticky.get("why").toString()).startsWith("sticky on cookie:session = abc");
		assertThat(sticky.get("policies").toString()).contains("timeout=2s");
		assertThat(beta).containsEntry("route", "beta").containsEntry("backend", "orders-v2");
		assertThat(none).containsEntry("matched", false);
		assertThat(v1.hits()).isZero();
		// the sticky answer is the backend the gateway really picks for that cookie
		String picked = ingress.get("/orders/7", Map.of("Cookie", "session=abc")).body();
		assertThat(sticky.get("backend")).isEqualTo(picked.equals("v1") ? "orders-v1" : "orders-v2");
	}

	@Test
	void routesWithMatchTypesHeaderChangesRewritesAndRedirectsAreServedAndTested() {
		TestUpstream shop = start("shop");
		editor.post("/api/upstreams", upstream("shop", shop.url()), null);
		AdminClient.Answer created = editor.post("/api/routes", Map.of("id", "shop",
				"match", Map.of("path", "/shop", "pathType", "prefix", "query", Map.of("v", "2")),
				"backends", List.of(Map.of("upstream", "shop")),
				"requestHeaders", Map.of("set", Map.of("X-Env", "prod")),
				"responseHeaders", Map.of("remove", List.of("X-Upstream")),
				"rewrite", Map.of("hostname", "shop.internal", "replacePrefixMatch", "/v2")), null);
		AdminClient.Answer redirect = editor.post("/api/routes", Map.of("id", "old",
				"match", Map.of("path", "/old", "pathType", "EXACT"),
				"redirect", Map.of("hostname", "new.example.com", "replaceFullPath", "/new", "statusCode", 308)), null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		assertThat(redirect.status()).as(redirect.body()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/shop/cart?v=2").statusCode() == 200);
		var served = ingress.get("/shop/cart?v=2");
		assertThat(served.headers().firstValue("x-upstream")).isEmpty();
		TestUpstream.Received received = shop.received().get(shop.received().size() - 1);
		assertThat(received.uri()).isEqualTo("/v2/cart?v=2");
		assertThat(received.headers()).containsEntry("host", "shop.internal").containsEntry("x-env", "prod");
		assertThat(ingress.get("/shop/cart?v=3").statusCode()).isEqualTo(404);
		var moved = ingress.get("/old?x=1");
		assertThat(moved.statusCode()).isEqualTo(308);
		assertThat(moved.headers().firstValue("location")).hasValue("http://new.example.com:" + ingressPort + "/new?x=1");

		Map<String, Object> tested = editor.post("/api/tester", Map.of("path", "/shop/cart?v=2"), null).json();
		assertThat(tested).containsEntry("route", "shop").containsEntry("backend", "shop")
			.containsEntry("rewritten", Map.of("host", "shop.internal", "path", "/v2/cart"));
		Map<String, Object> wrongQuery = editor.post("/api/tester", Map.of("path", "/shop/cart?v=3"), null).json();
		assertThat(wrongQuery).containsEntry("matched", false);
		assertThat(wrongQuery).containsEntry("status", 404);
		Map<String, Object> testedRedirect = editor.post("/api/tester",
				Map.of("path", "/old?x=1", "host", "gw.example.com"), null).json();
		assertThat(testedRedirect).containsEntry("route", "old")
			.containsEntry("redirect", Map.of("statusCode", 308, "location", "http://new.example.com/new?x=1"));

		// a changed filter of the same route applies at once (the gateway caches each route's filters)
		AdminClient.Answer current = editor.get("/api/routes/shop");
		Map<String, Object> staging = new LinkedHashMap<>(current.json());
		staging.put("requestHeaders", Map.of("set", Map.of("X-Env", "staging")));
		assertThat(editor.put("/api/routes/shop", staging, current.etag()).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			ingress.get("/shop/cart?v=2");
			return shop.received().get(shop.received().size() - 1).headers().get("x-env");
		}, "staging"::equals);
	}

	@Test
	void aNewRouteWithABadIdPathAndHeaderGetsAllThreeErrorsInOneAnswer() {
		editor.post("/api/upstreams", upstream("shop", "http://127.0.0.1:9"), null);
		long version = editor.get("/api/config").version();

		AdminClient.Answer rejected = editor.post("/api/routes", Map.of("id", "Bad Id!", "match",
				Map.of("path", "/x/{", "headers", Map.of("x-env", "beta(")), "backends",
				List.of(Map.of("upstream", "shop"))), null);

		assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
		assertThat(((List<?>) rejected.json().get("errors")).stream().map(error -> (Object) ((Map<?, ?>) error).get("path")).toList())
			.containsExactly("routes[0].match.path", "routes[0].match.headers.x-env", "routes[0].id");
		assertThat(rejected.body()).contains("path: /x/{ (expected: ").contains("headers.x-env: beta( (expected: ")
			.contains("id: Bad Id! (expected: ");
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
	}

	@Test
	void invalidNewRouteFieldsAreRejectedWith400AndTheirPath() {
		editor.post("/api/upstreams", upstream("shop", "http://127.0.0.1:9"), null);

		AdminClient.Answer badType = editor.post("/api/routes", Map.of("id", "bad", "match",
				Map.of("path", "/a", "pathType", "begins"), "backends", List.of(Map.of("upstream", "shop"))), null);
		AdminClient.Answer redirectWithBackends = editor.post("/api/routes", Map.of("id", "bad", "match",
				Map.of("path", "/a"), "backends", List.of(Map.of("upstream", "shop")), "redirect",
				Map.of("port", 0)), null);

		assertThat(badType.status()).isEqualTo(400);
		assertThat(badType.body()).contains("routes[bad].match.pathType")
			.contains("pathType: begins (expected: one of [PATTERN, EXACT, PREFIX, REGEX])");
		assertThat(redirectWithBackends.status()).isEqualTo(400);
		assertThat(redirectWithBackends.body()).contains("routes[bad].redirect.port")
			.contains("port: 0 (expected: 1-65535)");
		assertThat(editor.get("/api/routes/bad").status()).isEqualTo(404);
	}

	@Test
	void adminApiIsNotServedOnTheIngressPort() {
		assertThat(ingress.get("/api/config").statusCode()).isEqualTo(404);
		assertThat(ingress.get("/").statusCode()).isEqualTo(404);
		assertThat(ingress.get("/login").statusCode()).isEqualTo(404);
	}

	@Test
	void gatewayActuatorShowsTheSameRoutes() {
		editor.post("/api/upstreams", upstream("a", "http://127.0.0.1:9"), null);
		editor.post("/api/routes", route("one", "/one/**", Map.of("a", 1)), null);
		editor.post("/api/routes", route("two", "/two/**", Map.of("a", 1)), null);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			String routes = editor.get("/actuator/gateway/routes").body();
			Set<String> ids = java.util.regex.Pattern.compile("\"route_id\":\"([^\"]+)\"")
				.matcher(routes)
				.results()
				.map(m -> m.group(1))
				.collect(Collectors.toSet());
			assertThat(ids).containsExactlyInAnyOrder("one", "two");
		});
		// one source of truth: the actuator does not write routes beside the store
		AdminClient.Answer write = editor.post("/actuator/gateway/routes/three",
				Map.of("uri", "http://127.0.0.1:9", "predicates", List.of("Path=/three/**")), null);
		assertThat(write.status()).isEqualTo(409);
		assertThat(write.body()).contains("/api/routes");
	}

	private static String body(String export) {
		return export.lines().filter(line -> !line.startsWith("#")).collect(Collectors.joining("\n"));
	}

}
