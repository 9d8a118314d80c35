package io.meshgate.gateway.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.ConfigOverlay;
import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of the admin UI in headless Chromium at 1280 x 800 and at phone width (390 x 844):
 * the pages of the header's menu (read from the page, so that a new entry is visited without
 * being named here), an editor of each kind new and existing, the states pages reach by an
 * action (a diff, a comparison, a tester's answer, an import's preview), and any other page a
 * visited page links to. On each: nothing scrolls sideways, no element or text reaches past the
 * screen's edges, a table's cells are laid out as cells, and every control shown (button, link,
 * field) lies within the screen and is the topmost element at its centre. A full-page screenshot of each goes to
 * {@code target/screenshots/PAGE-WIDTH.png}. Then the empty states: a sentence, never a table
 * header over no rows; and the route editor offering only stored upstreams as backends.
 */
class EveryPageBrowserTest extends BrowserTestSupport {

	private static final List<Dimension> SIZES = List.of(new Dimension(1280, 800), new Dimension(390, 844));

	private static final String ROUTE = "checkout-with-a-rather-long-identifier";

	private static final String PRIMARY = "checkout-service-primary";

	/** As long as a name may be, without a '-' to break at. */
	private static final String CANARY = "checkoutcanarywithanamethatfillsallsixtythreecharactersofalabel";

	private static final String PROVIDER = "corporate-identity-provider";

	private static final String CONSUMER = "mobile-app-consumer";

	private static final String POLICY = "checkout-callers-only";

	/** A read-only source as the demo is: its upstream and route run beside the stored ones. */
	private static final ConfigOverlay DEMO = new ConfigOverlay("demo", new MeshConfig(
			List.of(Upstream.of("demo-v1", "http://127.0.0.1:9")), List.of(Route.of("demo", "/demo/**", Backend.of("demo-v1", 1)))));

	/**
	 * What shows a page's own content once its data has arrived, by the first part of the hash and
	 * whether it names an item ({@link Page#shape()}); a page not listed is ready when its title is.
	 */
	private static final Map<String, String> READY = Map.ofEntries(Map.entry("routes", "tr[data-route='" + ROUTE + "']"),
			Map.entry("routes/new", "#backend-upstream-0"), Map.entry("routes/item", "#save-route"),
			Map.entry("upstreams", "tr[data-upstream='" + PRIMARY + "']"), Map.entry("upstreams/new", "#save-upstream"),
			Map.entry("upstreams/item", "#upstream-live [data-verdict]"), Map.entry("jwtProviders", "#items tbody tr"),
			Map.entry("consumers", "#items tbody tr"), Map.entry("authorizationPolicies", "#items tbody tr"),
			Map.entry("jwtProviders/new", "#save-item"), Map.entry("jwtProviders/item", "#save-item"),
			Map.entry("consumers/new", "#save-item"), Map.entry("consumers/item", "#save-item"),
			Map.entry("authorizationPolicies/new", "#save-item"), Map.entry("authorizationPolicies/item", "#save-item"),
			Map.entry("history", "#history tbody tr"), Map.entry("tester", "#tester-run"),
			Map.entry("config", "#export-link"), Map.entry("rollout/item", "#rollout-none"));

	/**
	 * Problems of the page shown, one text each: the page wider than the screen, an element reaching
	 * past its edges or scrolling sideways inside, a control out of reach or covered.
	 */
	private static final String FIT = """
			const width = window.innerWidth;
			const problems = [];
			const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
			  + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
			const path = (e) => { const parts = []; for (let x = e; x && x !== document.body && parts.length < 4; x = x.parentElement) parts.unshift(name(x)); return parts.join(' > '); };
			// shown: rendered, not hidden, not inside a closed <details> (reached by opening it)
			const shown = (e) => e.getClientRects().length && e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
			const past = (r) => r.width && (r.left < -0.5 || r.right > width + 0.5);
			if (document.documentElement.scrollWidth > width) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px wide');
			for (const e of document.body.querySelectorAll('*')) {
			  if (!shown(e)) continue;
			  const r = e.getBoundingClientRect();
			  if (past(r)) problems.push('past the edge: ' + path(e) + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
			  if (!/^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName) && /auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
			    problems.push('scrolls sideways inside: ' + path(e) + ' (' + e.scrollWidth + ' > ' + e.clientWidth + ' px)');
			}
			// a cell of a row laid out as a row is a cell, or its borders and height part from the row's
			// (at phone width the lists' rows are blocks, their cells lines)
			for (const cell of document.querySelectorAll('td, th')) {
			  if (shown(cell) && getComputedStyle(cell.parentElement).display === 'table-row' && getComputedStyle(cell).display !== 'table-cell')
			    problems.push('not laid out as a table cell: ' + path(cell) + ' (display: ' + getComputedStyle(cell).display + ')');
			}
			// text overflowing its box, which no element's box shows
			const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			const range = document.createRange();
			for (let t = texts.nextNode(); t; t = texts.nextNode()) {
			  const parent = t.parentElement;
			  if (!t.textContent.trim() || /^(TEXTAREA|SCRIPT|STYLE|OPTION)$/.test(parent.tagName) || !shown(parent)) continue;
			  range.selectNodeContents(t);
			  const r = range.getBoundingClientRect();
			  if (past(r)) problems.push('text past the edge: ' + path(parent) + ' "' + t.textContent.trim().slice(0, 40) + '" [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
			}
			const controls = document.querySelectorAll('button, a[href], summary, input:not([type=hidden]), select, textarea');
			for (const c of controls) {
			  if (!shown(c)) continue;
			  const r = c.getBoundingClientRect();
			  if (r.left < -0.5 || r.right > width + 0.5) { problems.push('out of reach sideways: ' + path(c)); continue; }
			  c.scrollIntoView({block: 'center', inline: 'nearest'});
			  const at = c.getBoundingClientRect();
			  const hit = document.elementFromPoint(at.left + at.width / 2, at.top + at.height / 2);
			  if (!hit || !(hit === c || c.contains(hit) || hit.contains(c) && hit.tagName === 'LABEL'))
			    problems.push('covered: ' + path(c) + (hit ? ' by ' + path(hit) : ''));
			}
			window.scrollTo(0, 0);
			return problems.slice(0, 30);
			""";

	@Autowired
	AdminService admin;

	@AfterEach
	void wideAgainAndNoDemo() {
		browser.manage().window().setSize(SIZES.get(0));
		admin.replaceOverlay(new ConfigOverlay(DEMO.source(), MeshConfig.EMPTY));
	}

	@Test
	void everyPageFitsBothWidthsWithEveryActionInReach() throws IOException {
		tourConfiguration();
		login();
		List<Page> pages = new ArrayList<>();
		for (Object hash : (List<?>) browser.executeScript("return [...document.querySelectorAll('nav a[href^=\"#/\"]')].map(a => a.getAttribute('href'))")) {
			pages.add(Page.at(String.valueOf(hash)));
		}
		assertThat(pages).as("the menu").extracting(Page::name)
			.contains("routes", "upstreams", "jwtProviders", "consumers", "authorizationPolicies", "history", "tester", "config");
		for (String kind : List.of("routes", "upstreams", "jwtProviders", "consumers", "authorizationPolicies")) {
			pages.add(Page.at("#/" + kind + "/new"));
		}
		pages.add(Page.at("#/routes/" + ROUTE));
		pages.add(Page.at("#/upstreams/" + CANARY));
		pages.add(Page.at("#/jwtProviders/" + PROVIDER));
		pages.add(Page.at("#/consumers/" + CONSUMER));
		pages.add(Page.at("#/authorizationPolicies/" + POLICY));
		// the tour's route has no rollout: its rollout page says so in a sentence; RolloutPagesBrowserTest shows one that runs
		pages.add(Page.at("#/rollout/" + ROUTE));
		pages.add(Page.at("#/routes/" + ROUTE).then("diff", () -> {
			setValue(browser.findElement(By.id("route-timeout")), "7s");
			browser.findElement(By.id("save-route")).click();
			waitFor(By.id("confirm-apply"));
		}));
		pages.add(Page.at("#/routes/new").then("errors", () -> {
			setValue(browser.findElement(By.id("route-id")), "Bad Id!");
			setValue(browser.findElement(By.id("route-path")), "/x/{");
			browser.findElement(By.id("save-route")).click();
			waitFor(By.cssSelector(".field-error"));
		}));
		pages.add(Page.at("#/history").then("compare", () -> {
			List<String> versions = browser.findElements(By.cssSelector("#compare-from option"))
				.stream()
				.map(o -> o.getDomAttribute("value"))
				.toList();
			new Select(browser.findElement(By.id("compare-from"))).selectByValue(versions.get(versions.size() - 1));
			new Select(browser.findElement(By.id("compare-to"))).selectByValue(versions.get(0));
			browser.findElement(By.id("compare")).click();
			waitFor(By.id("diff-title"));
		}));
		pages.add(Page.at("#/tester").then("result", () -> {
			setValue(browser.findElement(By.id("tester-path")), "/checkout/a/rather/long/path/to/an/order/4711?with=a&query=string");
			setValue(browser.findElement(By.id("tester-headers")), "x-env: beta");
			browser.findElement(By.id("tester-run")).click();
			waitFor(By.id("tester-answer"));
		}));
		String export = editor.get("/api/export").body();
		pages.add(Page.at("#/config").then("import-preview", () -> {
			setValue(browser.findElement(By.id("import-yaml")), export.replaceFirst("(?m)^upstreams:\\n",
					"upstreams:\n  - {name: imported-from-a-file-with-a-long-name, endpoints: ['http://127.0.0.1:11']}\n"));
			browser.findElement(By.id("import-check")).click();
			waitFor(By.id("import-apply"));
		}));

		SoftAssertions softly = new SoftAssertions();
		for (Dimension size : SIZES) {
			viewport(size);
			// pages linked from those visited join the tour at the first width, and are visited at every width
			for (int i = 0; i < pages.size(); i++) {
				Page page = pages.get(i);
				visit(page);
				if (size == SIZES.get(0)) {
					linkedPages(pages).forEach(pages::add);
				}
				check(softly, page.name() + "-" + size.getWidth());
			}
			if (browser.findElement(By.id("menu")).isDisplayed()) {
				browser.findElement(By.id("menu")).click();
				waitFor(By.id("logout"));
				check(softly, "menu-" + size.getWidth());
				browser.findElement(By.id("menu")).click();
			}
			browser.get("http://localhost:" + adminPort + "/login");
			waitFor(By.id("username"));
			check(softly, "login-" + size.getWidth());
			browser.get("http://localhost:" + adminPort + "/#/routes");
			waitFor(By.id("search"));
		}
		softly.assertAll();
	}

	@Test
	void theRouteEditorOffersStoredUpstreamsAsBackendsAndNotTheDemos() throws IOException {
		post("/api/upstreams", upstream("stored-web", "http://127.0.0.1:9"));
		post("/api/routes", route("stored", "/stored/**", Map.of("stored-web", 1)));
		admin.replaceOverlay(DEMO);
		assertThat(editor.get("/api/upstreams").body()).contains("demo-v1");
		login();

		for (String hash : List.of("#/routes/new", "#/routes/stored")) {
			open(hash);
			waitFor(By.id("backend-upstream-0"));
			browser.findElement(By.id("add-mirror")).click();
			assertThat(upstreamsOffered("backend-upstream-0")).as(hash + " backends").containsExactly("stored-web");
			assertThat(upstreamsOffered("mirror-upstream-0")).as(hash + " mirrors").containsExactly("stored-web");
		}
		screenshot("route-editor-stored-upstreams-only");
	}

	/** The upstreams a backend's or mirror's choice offers: its options less the empty one and the gateway's own statuses. */
	private static List<String> upstreamsOffered(String select) {
		return new Select(waitFor(By.id(select))).getOptions()
			.stream()
			.filter(o -> !o.getDomProperty("value").isEmpty() && !o.getDomProperty("value").startsWith("status:"))
			.map(o -> o.getDomProperty("value"))
			.toList();
	}

	@Test
	void emptyListsAnEmptySearchAndAnEmptyHistorySayWhyInASentence() throws IOException {
		// the configuration each test starts from is empty: no routes, upstreams, providers, consumers, policies or L4 routes
		login();

		Map<String, String> sentences = Map.of("#/routes", "No routes yet. Create one with New route.", "#/upstreams",
				"No upstreams yet. Create one with New upstream.", "#/jwtProviders", "No JWT providers yet.", "#/consumers",
				"No consumers yet.", "#/authorizationPolicies", "No authorization policies yet.", "#/tcpRoutes",
				"No TCP routes yet.", "#/tlsPassthroughRoutes", "No TLS passthrough routes yet.");
		for (Map.Entry<String, String> page : sentences.entrySet()) {
			open(page.getKey());
			waitFor(By.xpath("//*[@id='app']//*[normalize-space(.)='" + page.getValue() + "']"));
			assertNoBareHeader(page.getKey());
		}

		post("/api/upstreams", upstream("searched", "http://127.0.0.1:9"));
		post("/api/routes", route("searched", "/searched/**", Map.of("searched", 1)));
		open("#/routes");
		setValue(waitFor(By.id("search")), "nothing-like-this");
		assertThat(waitFor(By.id("routes-empty")).getText()).isEqualTo("No route matches “nothing-like-this”.");
		assertNoBareHeader("an empty search");
		screenshot("routes-empty-search");

		// a store nothing was written to yet has no history: its answer, as the admin API gives it, with no versions
		Map<String, Object> answer = editor.get("/api/history").json();
		assertThat(answer).containsOnlyKeys("version", "history");
		open("#/routes");
		browser.executeScript("const real = window.fetch; window.fetch = (url, init) => String(url).endsWith('/api/history')"
				+ " ? Promise.resolve(new Response(JSON.stringify({version: 0, history: []}), {headers: {'Content-Type': 'application/json'}}))"
				+ " : real(url, init); location.hash = '#/history';");
		assertThat(waitFor(By.id("history-empty")).getText()).isEqualTo("Nothing is stored yet: the first change creates version 1.");
		assertNoBareHeader("an empty history");
		assertThat(browser.findElements(By.id("compare"))).isEmpty();
		screenshot("history-empty");
	}

	/**
	 * A page of the tour: its name in screenshots, its hash, its kind (the hash's first part, and
	 * {@code /new} or {@code /item} when it names one), and what a user does there before it is
	 * looked at.
	 */
	private record Page(String name, String hash, String shape, Runnable action) {

		static Page at(String hash) {
			String[] parts = hash.replaceFirst("^#/", "").split("/", 2);
			String shape = parts.length == 1 ? parts[0] : parts[0] + (parts[1].equals("new") ? "/new" : "/item");
			return new Page(shape.replace("/item", "-edit").replace('/', '-'), hash, shape, () -> {
			});
		}

		Page then(String state, Runnable next) {
			return new Page(name + "-" + state, hash, shape, next);
		}

		/** What shows inside {@code #app} once the page has its data. */
		String ready() {
			return READY.getOrDefault(shape, "h1");
		}

	}

	/** Shows {@code page} as a user reaches it: by its link, the page before cleared so that only its own content counts. */
	private void visit(Page page) {
		Boolean moved = (Boolean) browser.executeScript("if (location.hash === arguments[0]) return false;"
				+ " document.getElementById('app').replaceChildren(); location.hash = arguments[0]; return true;", page.hash());
		if (!moved) {
			browser.navigate().refresh();
		}
		waitFor(By.cssSelector("#app " + page.ready()));
		page.action().run();
	}

	/** Sizes the window so that the page gets {@code size}: headless Chromium's window is as wide as the page, and taller. */
	private static void viewport(Dimension size) {
		browser.manage().window().setSize(size);
		long frame = (Long) browser.executeScript("return window.outerHeight - window.innerHeight");
		browser.manage().window().setSize(new Dimension(size.getWidth(), size.getHeight() + (int) frame));
		assertThat(browser.executeScript("return [window.innerWidth, window.innerHeight]"))
			.isEqualTo(List.of((long) size.getWidth(), (long) size.getHeight()));
	}

	/** Pages the page shown links to whose kind (first part of the hash, and new or an item) no page of the tour has. */
	private static List<Page> linkedPages(List<Page> tour) {
		List<Page> linked = new ArrayList<>();
		for (Object href : (List<?>) browser.executeScript("return [...document.querySelectorAll('#app a[href^=\"#/\"]')].map(a => a.getAttribute('href'))")) {
			Page page = Page.at(String.valueOf(href));
			if (tour.stream().noneMatch(p -> p.shape().equals(page.shape())) && linked.stream().noneMatch(p -> p.shape().equals(page.shape()))) {
				linked.add(page);
			}
		}
		return linked;
	}

	private static void check(SoftAssertions softly, String name) throws IOException {
		@SuppressWarnings("unchecked")
		List<String> problems = (List<String>) browser.executeScript(FIT);
		softly.assertThat(problems).as(name).isEmpty();
		fullPageScreenshot(name);
	}

	/** The whole page, not only what the window shows, at the window's width. */
	private static void fullPageScreenshot(String name) throws IOException {
		@SuppressWarnings("unchecked")
		List<Number> size = (List<Number>) browser.executeScript(
				"return [Math.max(document.documentElement.scrollWidth, window.innerWidth), Math.min(document.documentElement.scrollHeight, 12000)]");
		Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
				"clip", Map.of("x", 0, "y", 0, "width", size.get(0), "height", size.get(1), "scale", 1)));
		Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
	}

	private static void assertNoBareHeader(String what) {
		assertThat(browser.executeScript("return [...document.querySelectorAll('#app table')].filter(t => t.getClientRects().length"
				+ " && ![...t.querySelectorAll('tbody tr')].some(r => r.getClientRects().length)).length")).as(what).isEqualTo(0L);
	}

	/** Loads the page anew at {@code hash}, as a bookmark would. */
	private void open(String hash) {
		browser.get("http://localhost:" + adminPort + "/" + hash);
		browser.navigate().refresh();
	}

	/** Two stored upstreams with traffic, a route over them, a provider, a consumer, a policy, and the demo beside them. */
	private void tourConfiguration() {
		TestUpstream primary = start("tour-primary");
		TestUpstream canary = start("tour-canary");
		post("/api/upstreams", Map.of("name", PRIMARY, "endpoints", List.of(primary.url()), "healthCheck",
				Map.of("path", TestUpstream.HEALTH_PATH), "outlierDetection", Map.of("consecutive5xx", 5)));
		post("/api/upstreams", upstream(CANARY, canary.url().replace("127.0.0.1", "localhost")));
		post("/api/jwtProviders", Map.of("name", PROVIDER, "issuer", "https://login.identity.example.com/realms/production",
				"jwksUri", "https://login.identity.example.com/realms/production/protocol/openid-connect/certs", "audiences",
				List.of("checkout", "orders")));
		post("/api/consumers", Map.of("name", CONSUMER, "apiKeys", List.of(CredentialHash.text("a-key-of-the-mobile-app"))));
		Map<String, Object> route = new LinkedHashMap<>();
		route.put("id", ROUTE);
		route.put("match", Map.of("path", "/checkout/a/rather/long/path/**", "methods", List.of("GET", "POST"), "headers",
				Map.of("x-env", "beta|staging")));
		route.put("backends", List.of(Map.of("upstream", PRIMARY, "weight", 90), Map.of("upstream", CANARY, "weight", 10)));
		route.put("mirrors", List.of(Map.of("upstream", CANARY, "percentage", 5)));
		route.put("retries", Map.of("attempts", 2, "perTryTimeout", "1s"));
		route.put("timeout", "5s");
		post("/api/routes", route);
		route.put("backends", List.of(Map.of("upstream", PRIMARY, "weight", 50), Map.of("upstream", CANARY, "weight", 50)));
		assertThat(editor.put("/api/routes/" + ROUTE, route, null).status()).isEqualTo(200);
		post("/api/authorizationPolicies", Map.of("name", POLICY, "action", "ALLOW", "targets", Map.of("routes", List.of(ROUTE)),
				"rules", List.of(Map.of("from", Map.of("consumers", List.of(CONSUMER))), Map.of("from",
						Map.of("requestPrincipals", List.of("https://login.identity.example.com/realms/production/*")), "to",
						Map.of("methods", List.of("GET"), "paths", List.of("/checkout/a/rather/long/path/orders/*"))))));
		admin.replaceOverlay(DEMO);
		for (int i = 0; i < 10; i++) {
			ingress.get("/checkout/a/rather/long/path/" + i, Map.of("x-env", "beta", "x-api-key", "a-key-of-the-mobile-app"));
		}
	}

	private void post(String path, Map<String, Object> body) {
		AdminClient.Answer answer = editor.post(path, body, null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

}
