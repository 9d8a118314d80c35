package io.meshgate.gateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.gateway.testing.RolloutRoutes;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages of progressive delivery in headless Chromium: a route's rollout (where it stands, the
 * step's numbers against the gates, both sides charted against the gates, the timeline of moves,
 * and an editor's pause, resume, promote and abort, which a viewer does not get), a route's mirrors
 * compared side by side (masked), and the upstream health an operator reads and writes (an
 * unchecked idle upstream is "not checked", a gRPC health check made in the editor, each
 * upstream's protocol in the list).
 */
class RolloutPagesBrowserTest extends BrowserTestSupport {

	private static final String USER_HEADER = RolloutRoutes.USER_HEADER;

	private DisposableServer primary;

	private DisposableServer shadow;

	@AfterEach
	void stopJsonServers() {
		browser.manage().window().setSize(new Dimension(1280, 800));
		for (DisposableServer server : new DisposableServer[] { primary, shadow }) {
			if (server != null) {
				server.disposeNow();
			}
		}
	}

	@Test
	void theRolloutPageShowsWhereItStandsAndAnEditorPausesResumesPromotesAndAbortsIt() throws IOException {
		create("v1", start("v1").url());
		create("v2", start("v2").url());
		// steps too long to end by themselves during the test: only the operator moves this rollout
		post("/api/routes", RolloutRoutes.shop(List.of(5.0, 25.0, 100.0), Map.of("stepDuration", "1h", "maxStepDuration", "2h")));
		await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(rollout().get("phase")));
		for (int user = 0; user < 20; user++) {
			assertThat(ingress.get("/shop/" + user, Map.of(USER_HEADER, "u" + user)).statusCode()).isEqualTo(200);
		}
		login();

		// reached from the routes list, where the route has a rollout
		waitFor(By.cssSelector("tr[data-route='shop'] a.route-rollout"));
		browser.executeScript("document.querySelector(\"tr[data-route='shop'] a.route-rollout\").click()");
		waitFor(By.cssSelector("#rollout-phase[data-phase='RUNNING']"));
		assertThat(browser.findElement(By.id("rollout-step")).getText()).isEqualTo("1");
		assertThat(browser.findElement(By.id("rollout-now")).getText()).contains("the canary takes 5 %")
			.contains("v1 95 · v2 5");
		assertThat(browser.findElement(By.cssSelector("#rollout-numbers tr[data-side='gate']")).getText())
			.contains("at least 20").contains("(baseline + 1 points)").contains("(baseline × 20)");
		assertThat(text("#rollout-verdict")).startsWith("The gates now: wait");
		assertThat(moves()).containsExactly("start");
		assertThat(text("#rollout-moves-list li")).contains("shop: rollout of v2 starts at step 1 (5 %)");
		screenshot("rollout-running");

		// an HTTPRoute's view shows an action's state only once the route is translated again: here
		// every read of the view answers the state before the action, and the page shows the action's
		// answer at once all the same
		browser.executeAsyncScript("const done = arguments[0]; const real = window.fetch; window.realFetch = real;"
				+ " real('/api/routes/shop/rollout', {credentials: 'same-origin'}).then((r) => r.text()).then((stale) => {"
				+ " window.fetch = (url, init) => String(url).endsWith('/api/routes/shop/rollout') && !(init && init.method === 'POST')"
				+ " ? Promise.resolve(new Response(stale, {headers: {'Content-Type': 'application/json'}})) : real(url, init); done(); });");
		click("rollout-pause");
		waitFor(By.cssSelector("#rollout-phase[data-phase='PAUSED']"));
		browser.executeScript("window.fetch = window.realFetch;");
		assertThat(rollout()).containsEntry("phase", "PAUSED");
		assertThat(moves()).containsExactly("pause", "start");
		assertThat(text("#rollout-moves-list li")).contains("shop: rollout paused by " + EDITOR + " at step 1 (5 %)");
		assertThat(buttons()).containsExactly("rollout-resume", "rollout-promote", "rollout-abort");

		click("rollout-resume");
		waitFor(By.cssSelector("#rollout-phase[data-phase='RUNNING']"));
		click("rollout-promote");
		waitFor(By.xpath("//*[@id='rollout-step' and text()='2']"));
		assertThat(rollout()).containsEntry("step", 2).containsEntry("weights", List.of(75, 25));

		// abort asks once more before the canary goes to weight 0
		click("rollout-abort");
		assertThat(waitFor(By.id("rollout-abort")).getText()).isEqualTo("Confirm abort: the canary to weight 0");
		assertThat(rollout()).containsEntry("phase", "RUNNING");
		click("rollout-abort");
		waitFor(By.cssSelector("#rollout-phase[data-phase='ABORTED']"));
		assertThat(rollout()).containsEntry("phase", "ABORTED").containsEntry("weights", List.of(100, 0));
		assertThat(buttons()).containsExactly("rollout-resume");
		assertThat(moves()).containsExactly("abort", "promote", "resume", "pause", "start");
		assertThat(editor.get("/api/routes/shop/rollout/timeline").json().get("timeline")).asList().hasSize(5);
		assertThat(text("#rollout-now p")).startsWith("Stopped at step 2 of 3 (25 %): the canary takes no traffic.");
		browser.executeScript("document.getElementById('rollout-timeline').scrollIntoView()");
		screenshot("rollout-timeline");

		// both sides against the gates, 10 s at a time (a history read from the page, so that its numbers are known)
		String history = """
				{"route":"shop","interval":10,"span":900,"now":1000000,"points":[
				 {"t":980000,"requests":110,"errors":6,"backends":{"v1":{"requests":100,"errors":1,"p99Ms":20.0},"v2":{"requests":10,"errors":5,"p99Ms":50.0}}},
				 {"t":990000,"requests":40,"errors":0,"backends":{"v1":{"requests":40,"errors":0,"p99Ms":30.0}}},
				 {"t":1000000,"requests":0,"errors":0,"backends":{}}]}""";
		browser.executeScript("const real = window.fetch; window.fetch = (url, init) => String(url).includes('/api/traffic/history?route=shop')"
				+ " ? Promise.resolve(new Response(arguments[0], {headers: {'Content-Type': 'application/json'}})) : real(url, init);"
				+ " location.hash = '#/routes';", history);
		waitFor(By.cssSelector("tr[data-route='shop']"));
		browser.executeScript("location.hash = '#/rollout/shop'");
		waitFor(By.cssSelector("[data-chart='rollout-errors'] g[data-series]"));
		assertThat(seriesPoints("rollout-errors")).containsExactly(Map.entry("baseline v1", 2L), Map.entry("canary v2", 1L),
				Map.entry("gate: baseline + 1 points", 2L));
		assertThat(seriesPoints("rollout-latency")).containsExactly(Map.entry("baseline v1", 2L), Map.entry("canary v2", 1L),
				Map.entry("gate: baseline × 20", 2L));
		// the canary's 50 % at the first point is far above its gate of 1 % + 1 point: drawn above the dashed line
		assertThat(browser.executeScript("const y = (n) => { const e = document.querySelector(`[data-chart='rollout-errors'] g[data-series='${n}'] :is(polyline, circle)`);"
				+ " return e.tagName === 'circle' ? Number(e.getAttribute('cy')) : Number(e.getAttribute('points').split(' ')[0].split(',')[1]); };"
				+ " return y('canary v2') < y('gate: baseline + 1 points');")).isEqualTo(true);
		screenshot("rollout-aborted");
		fitsAtPhoneWidth("rollout");

		// a viewer sees where it stands and no button
		login(VIEWER, VIEWER_PASSWORD);
		open("#/rollout/shop");
		waitFor(By.cssSelector("#rollout-phase[data-phase='ABORTED']"));
		assertThat(browser.findElements(By.cssSelector("#rollout-now button"))).isEmpty();
		open("#/routes");
		waitFor(By.cssSelector("tr[data-route='shop'] a.route-rollout"));
	}

	@Test
	void aShadowThatDiffersInOneFieldIsShownSideBySideWithThatPathAndMasked() throws IOException {
		primary = json("{\"id\":1,\"price\":10,\"at\":\"12:00:0%d\",\"accessToken\":\"tok-4711\"}");
		shadow = json("{\"id\":1,\"price\":11,\"at\":\"12:00:0%d\",\"accessToken\":\"tok-4711\"}");
		create("json-primary", "http://127.0.0.1:" + primary.port());
		create("json-shadow", "http://127.0.0.1:" + shadow.port());
		post("/api/routes", Map.of("id", "compared", "match", Map.of("path", "/compared/**"), "backends",
				List.of(Map.of("upstream", "json-primary")), "mirrors", List.of(Map.of("upstream", "json-shadow", "percentage", 100,
						"compare", Map.of("ignore", List.of("$.at"))))));
		for (int i = 0; i < 5; i++) {
			assertThat(ingress.get("/compared/" + i).statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> editor.get("/api/traffic/comparisons?route=compared").body().contains("\"comparisons\":5"));
		// the same findings under the mirror in /actuator/mesh, masked alike
		assertThat(editor.get("/actuator/mesh/routes/compared").body()).contains("\"comparison\":{", "\"comparisons\":5",
				"\"$.price\"").doesNotContain("tok-4711");
		login();

		waitFor(By.cssSelector("tr[data-route='compared'] a.route-mirrors"));
		browser.executeScript("document.querySelector(\"tr[data-route='compared'] a.route-mirrors\").click()");
		waitFor(By.cssSelector("[data-mirror='json-shadow'] .pair"));
		assertThat(text("[data-mirror='json-shadow'] .match-rate")).startsWith("0 % of 5 compared answers matched");
		// the differing field with its count; the ignored one not at all
		assertThat(browser.executeScript("return [...document.querySelectorAll('table.top-paths tbody tr')].map(r => r.textContent)"))
			.isEqualTo(List.of("$.price5"));
		assertThat(browser.findElements(By.cssSelector("[data-mirror='json-shadow'] .pair"))).hasSize(5);
		String primaryBody = text(".pair [data-side='primary'] pre");
		String shadowBody = text(".pair [data-side='shadow'] pre");
		assertThat(primaryBody).contains("\"price\": 10").contains("\"accessToken\": \"******\"");
		assertThat(shadowBody).contains("\"price\": 11").contains("\"accessToken\": \"******\"");
		assertThat(browser.getPageSource()).doesNotContain("tok-4711");
		screenshot("mirrors-compared");
		fitsAtPhoneWidth("mirrors");
	}

	@Test
	void anIdleUpstreamWithoutACheckIsNotCheckedAndTheEditorMakesAGrpcHealthCheck() throws IOException {
		TestUpstream idle = start("idle");
		create("idle", idle.url());
		post("/api/upstreams", Map.of("name", "checked", "endpoints", List.of(start("checked").url()), "healthCheck",
				Map.of("path", TestUpstream.HEALTH_PATH, "interval", "100ms", "timeout", "100ms")));
		login();
		open("#/upstreams");
		waitFor(By.cssSelector("tr[data-upstream='idle'] [data-verdict]"));
		assertThat(attribute("tr[data-upstream='idle'] [data-verdict]", "data-verdict")).isEqualTo("unchecked");
		assertThat(text("tr[data-upstream='idle'] [data-verdict]")).isEqualTo("1 endpoint · not checked");
		await().atMost(Duration.ofSeconds(5)).until(() -> "ok".equals(attribute("tr[data-upstream='checked'] [data-verdict]", "data-verdict")));
		assertThat(text("tr[data-upstream='checked'] [data-verdict]")).isEqualTo("1/1 up");
		// traffic tells: an idle upstream that answers is up
		post("/api/routes", route("idle", "/idle/**", Map.of("idle", 1)));
		for (int i = 0; i < 3; i++) {
			assertThat(ingress.get("/idle/" + i).statusCode()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(6)).until(() -> "ok".equals(attribute("tr[data-upstream='idle'] [data-verdict]", "data-verdict")));

		// a gRPC health check: no path, a protocol speaking HTTP/2
		open("#/upstreams/new");
		setValue(waitFor(By.id("upstream-name")), "rpc");
		setValue(browser.findElement(By.id("upstream-endpoints-0-uri")), idle.url());
		new Select(browser.findElement(By.id("upstream-protocol"))).selectByVisibleText("H2C");
		browser.findElement(By.id("health-check-on")).click();
		new Select(waitFor(By.id("health-check-type"))).selectByVisibleText("GRPC");
		setValue(browser.findElement(By.id("health-check-grpcService")), "echo.Echo");
		screenshot("upstream-editor-grpc-health-check");
		browser.findElement(By.id("save-upstream")).click();
		assertThat(waitFor(By.id("diff")).getText()).contains("type: GRPC").contains("grpcService: echo.Echo")
			.contains("protocol: H2C");
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-upstream='rpc']"));
		// the list says which protocol each upstream speaks
		assertThat(text("tr[data-upstream='rpc'] .protocol")).isEqualTo("H2C");
		assertThat(text("tr[data-upstream='checked'] .protocol")).isEqualTo("HTTP1");
		assertThat(editor.get("/api/upstreams/rpc").json().get("healthCheck")).asString().contains("type=GRPC")
			.contains("grpcService=echo.Echo");

		// switched on with nothing filled in on an HTTP upstream: the missing path under its field
		open("#/upstreams/new");
		setValue(waitFor(By.id("upstream-name")), "pathless");
		setValue(browser.findElement(By.id("upstream-endpoints-0-uri")), idle.url());
		browser.findElement(By.id("health-check-on")).click();
		browser.findElement(By.id("save-upstream")).click();
		assertThat(waitFor(By.cssSelector("#upstream-form .field-error")).getText()).contains("healthCheck.path: null");
		assertThat(editor.get("/api/upstreams/pathless").status()).isEqualTo(404);
	}

	/** A JSON server on loopback answering {@code body} with the request's count put in. */
	private static DisposableServer json(String body) {
		int[] count = { 0 };
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.header("content-type", "application/json")
				.sendString(Mono.fromSupplier(() -> body.formatted(++count[0] % 10)), StandardCharsets.UTF_8))
			.bindNow();
	}

	private void create(String name, String url) {
		post("/api/upstreams", upstream(name, url));
	}

	private void post(String path, Map<String, Object> body) {
		AdminClient.Answer answer = editor.post(path, body, null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

	private Map<String, Object> rollout() {
		return editor.get("/api/routes/shop/rollout").json();
	}

	/** Clicks a button of the rollout's card, which each refresh draws anew: found and clicked in one script. */
	private static void click(String id) {
		waitFor(By.id(id));
		browser.executeScript("document.getElementById(arguments[0]).click()", id);
	}

	@SuppressWarnings("unchecked")
	private static List<String> moves() {
		return (List<String>) browser.executeScript("return [...document.querySelectorAll('#rollout-moves-list li')].map(li => li.dataset.kind)");
	}

	@SuppressWarnings("unchecked")
	private static List<String> buttons() {
		return (List<String>) browser.executeScript("return [...document.querySelectorAll('#rollout-actions button')].map(b => b.id)");
	}

	/** Each line of a chart by its name, with how many values it draws. */
	@SuppressWarnings("unchecked")
	private static List<Map.Entry<String, Long>> seriesPoints(String chart) {
		List<List<Object>> series = (List<List<Object>>) browser.executeScript("return [...document.querySelectorAll(`[data-chart='${arguments[0]}'] g[data-series]`)]"
				+ ".map(g => [g.dataset.series, Number(g.dataset.points)])", chart);
		return series.stream().map(s -> Map.entry((String) s.get(0), ((Number) s.get(1)).longValue())).toList();
	}

	private static String text(String selector) {
		return browser.findElement(By.cssSelector(selector)).getText();
	}

	private static String attribute(String selector, String name) {
		return (String) browser.executeScript("const e = document.querySelector(arguments[0]); return e && e.getAttribute(arguments[1]);",
				selector, name);
	}

	/** At 390 px the page does not scroll sideways; a full screenshot of it goes to target/screenshots. */
	private static void fitsAtPhoneWidth(String name) throws IOException {
		browser.manage().window().setSize(new Dimension(390, 844));
		await().atMost(Duration.ofSeconds(2)).until(() -> ((Number) browser.executeScript("return window.innerWidth")).intValue() <= 390);
		assertThat(browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth")).as(name).isEqualTo(true);
		screenshot(name + "-390");
	}

	private void open(String hash) {
		browser.get("http://localhost:" + adminPort + "/" + hash);
		browser.navigate().refresh();
	}

}
