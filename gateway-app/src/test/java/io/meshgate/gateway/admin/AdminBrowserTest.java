package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.Select;

import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin UI in Debian's headless Chromium: log in, create a route, move the canary slider
 * and see traffic move through the ingress port, see a validation error under its field, roll
 * back. A screenshot of every page goes to {@code target/screenshots/}.
 */
class AdminBrowserTest extends BrowserTestSupport {

	@Test
	void operatorCreatesARouteMovesTheCanarySeesAnErrorAndRollsBack() throws IOException {
		TestUpstream v1 = start("shop-v1");
		TestUpstream v2 = start("shop-v2");
		assertThat(editor.post("/api/upstreams", upstream("shop-v1", v1.url()), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/upstreams", upstream("shop-v2", v2.url()), null).status()).isEqualTo(200);
		String admin = "http://localhost:" + adminPort;

		// log in
		browser.get(admin + "/login");
		browser.manage().deleteAllCookies();
		browser.get(admin + "/");
		waitFor(By.id("username"));
		screenshot("login");
		browser.findElement(By.id("username")).sendKeys(EDITOR);
		browser.findElement(By.id("password")).sendKeys(EDITOR_PASSWORD);
		browser.findElement(By.id("login")).click();
		waitFor(By.id("new-route"));

		// create a route: all traffic to v1, v2 configured with weight 0
		browser.findElement(By.id("new-route")).click();
		waitFor(By.id("route-id")).sendKeys("shop");
		browser.findElement(By.id("route-path")).sendKeys("/shop/**");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("shop-v1");
		browser.findElement(By.id("add-backend")).click();
		new Select(waitFor(By.id("backend-upstream-1"))).selectByVisibleText("shop-v2");
		setValue(browser.findElement(By.id("backend-weight-1")), "0");
		browser.findElement(By.id("retry-attempts")).sendKeys("1");
		browser.findElement(By.id("route-timeout")).sendKeys("5s");
		browser.findElement(By.id("preview-route")).click();
		waitFor(By.id("diff"));
		assertThat(browser.findElement(By.id("diff")).getText()).contains("+  - id: shop");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply"));
		screenshot("route-editor");
		assertThat(browser.findElement(By.id("diff")).getText()).contains("+  - id: shop");
		assertThat(answering("/shop/1")).isEqualTo(Set.of(404 + ""));
		browser.findElement(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='shop']"));
		assertThat(answering("/shop/1")).containsExactly("shop-v1");
		screenshot("routes");

		// move the canary slider all the way: traffic moves to v2
		browser.findElement(By.cssSelector("tr[data-route='shop'] a.edit-route")).click();
		WebElement slider = waitFor(By.id("canary-slider"));
		setValue(slider, "100");
		assertThat(browser.findElement(By.id("backend-weight-1")).getAttribute("value")).isEqualTo("100");
		assertThat(browser.findElement(By.id("backend-weight-0")).getAttribute("value")).isEqualTo("0");
		browser.findElement(By.id("save-route")).click();
		assertThat(waitFor(By.id("diff")).getText().lines().map(line -> line.replaceAll("\\s+", " ")))
			.contains("+ weight: 100");
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='shop']"));
		await().atMost(Duration.ofSeconds(5)).until(() -> answering("/shop/1"), Set.of("shop-v2")::equals);

		// a validation error appears next to its field, and nothing changes
		browser.findElement(By.cssSelector("tr[data-route='shop'] a.edit-route")).click();
		setValue(waitFor(By.id("backend-weight-1")), "-5");
		browser.findElement(By.id("save-route")).click();
		WebElement error = waitFor(By.cssSelector(".field-error[data-for='routes[shop].backends[1].weight']"));
		assertThat(error.getText()).isEqualTo("weight: -5 (expected: >= 0)");
		// inside the field's own label, so that the cells beside it keep their places
		assertThat(error.findElement(By.xpath(".."))).isEqualTo(browser.findElement(By.id("backend-weight-1")).findElement(By.xpath("..")));
		assertThat(browser.findElement(By.id("backend-weight-1")).getAttribute("class")).contains("invalid");
		screenshot("route-editor-error");
		assertThat(answering("/shop/1")).containsExactly("shop-v2");

		// roll back to the version that sent everything to v1
		browser.get(admin + "/#/history");
		waitFor(By.cssSelector("#history tbody tr"));
		screenshot("history");
		long created = editor.get("/api/config").version() - 1;
		browser.findElement(By.cssSelector("tr[data-version='" + created + "'] button.rollback")).click();
		waitFor(By.id("confirm-rollback")).click();
		await().atMost(Duration.ofSeconds(5)).until(() -> answering("/shop/1"), Set.of("shop-v1")::equals);
		waitFor(By.xpath("//td[contains(., 'rollback to version " + created + "')]"));
		screenshot("history-after-rollback");

		// the other pages
		browser.get(admin + "/#/upstreams");
		waitFor(By.cssSelector("tr[data-upstream='shop-v1']"));
		screenshot("upstreams");
		browser.get(admin + "/#/tester");
		setValue(waitFor(By.id("tester-path")), "/shop/7");
		browser.findElement(By.id("tester-run")).click();
		assertThat(waitFor(By.id("tester-answer")).getText()).contains("Route shop").contains("shop-v1");
		screenshot("tester");
		browser.get(admin + "/#/config");
		waitFor(By.id("export-link"));
		screenshot("export-import");

		// phone width
		browser.manage().window().setSize(new Dimension(390, 844));
		browser.get(admin + "/#/routes");
		waitFor(By.cssSelector("tr[data-route='shop']"));
		screenshot("routes-phone");
		browser.manage().window().setSize(new Dimension(1280, 800));
	}

	@Test
	void routesShowPathTypeQueryRewriteAndRedirectAndAnEditKeepsThem() throws IOException {
		TestUpstream web = start("web");
		editor.post("/api/upstreams", upstream("web", web.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "web", "match",
				Map.of("path", "/web", "pathType", "PREFIX", "query", Map.of("v", "2")), "backends",
				List.of(Map.of("upstream", "web")), "rewrite", Map.of("replacePrefixMatch", "/v2"), "requestHeaders",
				Map.of("set", Map.of("x-env", "prod"))), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/routes", Map.of("id", "moved", "match", Map.of("path", "/moved"), "redirect",
				Map.of("scheme", "https", "statusCode", 301)), null).status()).isEqualTo(200);
		login();

		WebElement row = waitFor(By.cssSelector("tr[data-route='web']"));
		assertThat(row.getText()).contains("prefix").contains("/web").contains("?v ~ 2").contains("rewrite prefix → /v2")
			.contains("request headers");
		assertThat(waitFor(By.cssSelector("tr[data-route='moved']")).getText()).contains("redirect 301 to https://");
		screenshot("routes-rewrite-redirect");

		row.findElement(By.cssSelector("a.edit-route")).click();
		assertThat(new Select(waitFor(By.id("route-path-type"))).getFirstSelectedOption().getText()).isEqualTo("PREFIX");
		assertThat(browser.findElement(By.id("route-changes")).getText()).contains("rewrite prefix → /v2")
			.contains("request headers: set x-env: prod");
		setValue(browser.findElement(By.id("route-query")), "v: 3");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='web']"));
		await().atMost(Duration.ofSeconds(5)).until(() -> ingress.get("/web/a?v=3").statusCode() == 200);
		assertThat(web.received().get(web.received().size() - 1).uri()).isEqualTo("/v2/a?v=3");
		assertThat(web.received().get(web.received().size() - 1).headers()).containsEntry("x-env", "prod");

		browser.get("http://localhost:" + adminPort + "/#/tester");
		setValue(waitFor(By.id("tester-path")), "/moved?x=1");
		setValue(browser.findElement(By.id("tester-host")), "shop.example.com");
		browser.findElement(By.id("tester-run")).click();
		assertThat(waitFor(By.id("tester-redirect")).getText())
			.isEqualTo("Redirect 301 to https://shop.example.com/moved?x=1");
	}

	@Test
	void aShareAnsweredByTheGatewayIsShownAndKeptByAnEdit() {
		TestUpstream shed = start("shed");
		editor.post("/api/upstreams", upstream("shed", shed.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "shed", "match", Map.of("path", "/shed/**"), "backends",
				List.of(Map.of("upstream", "shed", "weight", 9), Map.of("status", 503, "weight", 1))), null).status())
			.isEqualTo(200);
		login();

		WebElement row = waitFor(By.cssSelector("tr[data-route='shed']"));
		assertThat(row.getText()).contains("status 503");
		row.findElement(By.cssSelector("a.edit-route")).click();
		assertThat(new Select(waitFor(By.id("backend-upstream-1"))).getFirstSelectedOption().getText())
			.isEqualTo("status 503");
		setValue(browser.findElement(By.id("backend-weight-0")), "8");
		new Select(browser.findElement(By.id("backend-upstream-1"))).selectByVisibleText("status 500");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='shed']"));

		assertThat(editor.get("/api/routes/shed").json().get("backends")).isEqualTo(
				List.of(Map.of("upstream", "shed", "weight", 8), Map.of("status", 500)));
	}

	@Test
	@SuppressWarnings("unchecked")
	void aBackendsOwnHeaderChangesAreShownAndKeptByAnEdit() {
		TestUpstream blue = start("blue");
		TestUpstream green = start("green");
		editor.post("/api/upstreams", upstream("blue", blue.url()), null);
		editor.post("/api/upstreams", upstream("green", green.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "colors", "match", Map.of("path", "/colors/**"), "backends",
				List.of(Map.of("upstream", "blue", "weight", 1), Map.of("upstream", "green", "weight", 1, "requestHeaders",
						Map.of("set", Map.of("x-color", "green")))), "canary", Map.of("overrideHeader", "x-to")), null)
			.status()).isEqualTo(200);
		login();

		waitFor(By.cssSelector("tr[data-route='colors'] a.edit-route")).click();
		assertThat(waitFor(By.id("backend-changes-1")).getText()).isEqualTo("request headers: set x-color: green");
		setValue(browser.findElement(By.id("backend-weight-1")), "3");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='colors']"));

		List<Map<String, Object>> backends = (List<Map<String, Object>>) editor.get("/api/routes/colors").json().get("backends");
		assertThat(backends.get(1)).containsEntry("upstream", "green").containsEntry("weight", 3);
		assertThat((Map<String, Object>) backends.get(1).get("requestHeaders")).containsEntry("set", Map.of("x-color", "green"));
		assertThat(backends.get(0)).doesNotContainKey("requestHeaders");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ingress.get("/colors/a", Map.of("x-to", "green")).statusCode() == 200 && !green.received().isEmpty());
		assertThat(green.received().get(green.received().size() - 1).headers()).containsEntry("x-color", "green");
	}

	@Test
	void aPageLeftWhileItsDataLoadsNeverRendersOverTheNextOne() {
		login();
		ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
		slow.setLatency(Duration.ofMillis(400));
		browser.setNetworkConditions(slow);
		try {
			JavascriptExecutor js = browser;
			// every page title written, in order; the upstreams page is left 20 ms after it starts loading
			js.executeScript("window.titles = []; new MutationObserver(() => { const h = document.querySelector('#app h1');"
					+ " if (h && titles[titles.length - 1] !== h.textContent) titles.push(h.textContent); })"
					+ ".observe(document.querySelector('#app'), {childList: true, subtree: true});"
					+ " performance.clearResourceTimings(); location.hash = '#/upstreams';"
					+ " setTimeout(() => { location.hash = '#/tester'; }, 20);");
			waitFor(By.id("tester-path"));
			// the upstreams page's reads answered, and a state read that began after them (the page's own,
			// or the next periodic one) answered too: by then the old page would have rendered
			await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) js.executeScript(
					"const u = performance.getEntriesByType('resource').find(e => e.name.endsWith('/api/upstreams') && e.responseEnd > 0);"
							+ " return !!u && performance.getEntriesByType('resource').some(e => e.name.endsWith('/api/state')"
							+ " && e.startTime >= u.responseEnd && e.responseEnd > 0);"));
			js.executeAsyncScript("setTimeout(arguments[arguments.length - 1], 100);"); // queued renders run
			assertThat(js.executeScript("return titles")).isEqualTo(List.of("Route tester"));
		}
		finally {
			browser.deleteNetworkConditions();
		}
	}

	/**
	 * A thousand routes list and filter in the browser. How fast is a benchmark's question, not
	 * this test's: on a loaded 2-CPU machine the same page takes 0.2 s or 6 s.
	 */
	@Test
	void searchOverAThousandRoutesFindsTheRoutesThatMatchEveryWord() {
		StringBuilder yaml = new StringBuilder("upstreams:\n  - {name: bulk, endpoints: [http://127.0.0.1:9]}\nroutes:\n");
		for (int i = 0; i < 1000; i++) {
			yaml.append("  - {id: r").append(i).append(", match: {path: /r").append(i).append("/**, host: h")
				.append(i % 10).append(".example.com}, backends: [{upstream: bulk}]}\n");
		}
		assertThat(editor.post("/api/import", yaml.toString(), null).status()).isEqualTo(200);
		login();

		browser.get("http://localhost:" + adminPort + "/#/routes");
		waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("tr[data-route='r999']")).isEmpty());
		search("r77 h7.example");
		await().atMost(Duration.ofSeconds(30))
			.ignoreException(StaleElementReferenceException.class)
			.until(() -> {
				// the live refresh may render the page again: type the search again if it was lost
				if (!"r77 h7.example".equals(browser.findElement(By.id("search")).getDomProperty("value"))) {
					search("r77 h7.example");
				}
				return browser.findElement(By.id("count")).getText().startsWith("2 of 1000");
			});
		// r77 and r770-r779 contain "r77"; of those, r77 and r777 are on h7
		assertThat(browser.findElements(By.cssSelector("tr[data-route]")).stream()
			.filter(WebElement::isDisplayed).map(row -> row.getDomAttribute("data-route")).toList())
			.containsExactlyInAnyOrder("r77", "r777");
	}

	@Test
	void theRouteEditorTakesPlaceholdersHintsAndChoicesFromTheRecordsThroughTheSchema() {
		TestUpstream web = start("hinted");
		editor.post("/api/upstreams", upstream("hinted", web.url()), null);
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/new");

		RetryPolicy retries = new RetryPolicy(null, null, null, null, null, null, null, null, null);
		assertThat(placeholder("retry-attempts")).isEqualTo(shown(retries.attempts()));
		assertThat(placeholder("retry-budget")).isEqualTo(shown(retries.budgetPercent()));
		assertThat(hint("retries.budgetPercent")).isEqualTo("default " + shown(retries.budgetPercent()));
		assertThat(placeholder("retry-on"))
			.isEqualTo(retries.retryOn().stream().map(Object::toString).collect(Collectors.joining(", ")));
		assertThat(placeholder("retry-per-try")).isEqualTo(example(RetryPolicy.class, "perTryTimeout"));
		assertThat(placeholder("route-timeout")).isEqualTo(example(Route.class, "timeout"));
		assertThat(placeholder("fault-abort-status")).isEqualTo(shown(FaultPolicy.NONE.abort().httpStatus()));
		assertThat(placeholder("backend-weight-0")).isEqualTo(shown(new Backend("any", null, null, null, null).weight()));
		assertThat(new Select(browser.findElement(By.id("route-path-type"))).getOptions()).extracting(WebElement::getText)
			.containsExactlyElementsOf(java.util.Arrays.stream(PathType.values()).map(PathType::name).toList());
		assertThat(new Select(browser.findElement(By.id("route-path-type"))).getFirstSelectedOption().getText())
			.isEqualTo(RouteMatch.path("/any").pathType().name());
		browser.findElement(By.id("add-mirror")).click();
		assertThat(waitFor(By.id("mirror-percentage-0")).getDomAttribute("placeholder"))
			.isEqualTo(shown(new MirrorPolicy("any", null, null, null, null, null).percentage()));
		browser.findElement(By.cssSelector(".remove-mirror")).click();

		// a retry field filled in turns retries on; the empty ones get what their placeholders showed
		waitFor(By.id("route-id")).sendKeys("hinted");
		browser.findElement(By.id("route-path")).sendKeys("/hinted/**");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("hinted");
		browser.findElement(By.id("retry-budget")).sendKeys("30");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='hinted']"));
		Map<String, Object> stored = editor.get("/api/routes/hinted").json();
		@SuppressWarnings("unchecked")
		Map<String, Object> storedRetries = (Map<String, Object>) stored.get("retries");
		// defaults are not stored: the record fills in what the placeholders showed (their defaults, checked above)
		assertThat(storedRetries).containsEntry("budgetPercent", 30.0).doesNotContainKey("attempts");
		assertThat(placeholderOfNewRoute("retry-attempts")).isEqualTo(shown(retries.attempts()));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> backends = (List<Map<String, Object>>) stored.get("backends");
		assertThat(backends.get(0)).doesNotContainKey("weight");
		assertThat(placeholderOfNewRoute("backend-weight-0")).isEqualTo(String.valueOf(Backend.DEFAULT_WEIGHT));
	}

	private String placeholderOfNewRoute(String id) {
		browser.get("http://localhost:" + adminPort + "/#/routes/new");
		return placeholder(id);
	}

	private static String placeholder(String id) {
		return waitFor(By.id(id)).getDomAttribute("placeholder");
	}

	private static String hint(String path) {
		return browser.findElement(By.cssSelector("[data-hint-for='" + path + "']")).getText();
	}

	/** A number as the UI shows it: 20, not 20.0. */
	private static String shown(Number number) {
		return new java.math.BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
	}

	private static String example(Class<?> record, String component) {
		return java.util.Arrays.stream(record.getRecordComponents())
			.filter(c -> c.getName().equals(component))
			.findFirst()
			.orElseThrow()
			.getAnnotation(Example.class)
			.value()[0];
	}

	/** What answers 20 requests through the ingress port: upstream names, or the status when not 200. */
	private Set<String> answering(String path) {
		return java.util.stream.IntStream.range(0, 20)
			.mapToObj(i -> ingress.get(path))
			.map(r -> r.statusCode() == 200 ? r.body() : String.valueOf(r.statusCode()))
			.collect(Collectors.toSet());
	}

	private static void search(String text) {
		waitUpTo(Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class).until(d -> {
			setValue(d.findElement(By.id("search")), text);
			return true;
		});
	}

}
