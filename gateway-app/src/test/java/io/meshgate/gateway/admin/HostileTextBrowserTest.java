package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text that looks like markup stays text on every page that shows it: a header value of a route,
 * a header the route sets (with quotes that would close an attribute), a request header the tester
 * echoes, and a route id and an upstream name typed into the editors (refused: ids and names are
 * validated names, so they never hold markup once stored). A watch in the page records every element
 * and event handler attribute inserted, every Content-Security-Policy violation and every alert,
 * across all pages (navigation by hash keeps the one document).
 */
class HostileTextBrowserTest extends BrowserTestSupport {

	private static final String IMG = "<img src=x onerror=alert(1)>";

	private static final String BREAKOUT = "\"'><img src=x onerror=alert(2)>";

	private static final String WATCH = """
			window.injected = [];
			const bad = (el) => /^(IMG|SCRIPT|IFRAME|OBJECT|EMBED)$/.test(el.tagName)
			    || Array.from(el.attributes).some((a) => /^on/i.test(a.name));
			new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
			  if (n.nodeType === 1) [n, ...n.querySelectorAll('*')].filter(bad).forEach((el) => injected.push(el.outerHTML));
			}))).observe(document, {childList: true, subtree: true});
			document.addEventListener('securitypolicyviolation', (e) => injected.push('csp ' + e.violatedDirective));
			window.alert = (m) => injected.push('alert ' + m);
			""";

	@Test
	void markupInNamesAndValuesShowsAsTextEverywhereAndNoScriptRuns() throws IOException {
		TestUpstream a = start("shop-a");
		TestUpstream b = start("shop-b");
		editor.post("/api/upstreams", upstream("shop-a", a.url()), null);
		editor.post("/api/upstreams", upstream("shop-b", b.url()), null);
		Map<String, Object> hostile = new LinkedHashMap<>();
		hostile.put("id", "hostile");
		hostile.put("match", Map.of("path", "/hostile/**", "headers", Map.of("x-env", IMG)));
		hostile.put("backends", List.of(Map.of("upstream", "shop-a", "weight", 1), Map.of("upstream", "shop-b", "weight", 1)));
		hostile.put("canary", Map.of("stickyOn", "header:x-user"));
		hostile.put("requestHeaders", Map.of("set", Map.of("x-note", BREAKOUT)));
		AdminClient.Answer created = editor.post("/api/routes", hostile, null);
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		long version = editor.get("/api/config").version();

		login();
		browser.executeScript(WATCH);
		// the watch sees an element inserted as markup
		browser.executeScript("document.getElementById('toast').insertAdjacentHTML('beforeend', '<img id=\"probe\" src=\"data:,\">');"
				+ " document.getElementById('probe').remove();");
		assertThat((List<?>) browser.executeScript("return injected.splice(0)")).hasSize(1);

		// routes list
		assertThat(waitFor(By.cssSelector("tr[data-route='hostile']")).getText()).contains("x-env ~ " + IMG);

		// route editor
		go("#/routes/hostile", "Route hostile");
		assertThat(waitFor(By.id("route-headers")).getDomProperty("value")).isEqualTo("x-env: " + IMG);
		assertThat(browser.findElement(By.id("route-changes")).getText()).contains("request headers: set x-note: " + BREAKOUT);

		// a route id and an upstream name written as markup: refused, each error under its field
		go("#/routes/new", "New route");
		waitFor(By.id("route-id")).sendKeys(IMG);
		browser.findElement(By.id("route-path")).sendKeys("/new/**");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("shop-a");
		browser.findElement(By.id("save-route")).click();
		assertThat(fieldErrorOf("route-id")).startsWith("id: ").contains(" (expected: ");
		go("#/upstreams/new", "New upstream");
		waitFor(By.id("upstream-name")).sendKeys(IMG);
		browser.findElement(By.id("upstream-endpoints-0-uri")).sendKeys(a.url());
		browser.findElement(By.id("save-upstream")).click();
		assertThat(fieldErrorOf("upstream-name")).startsWith("name: ").contains(" (expected: ");

		// history: the change that created the route, as a diff
		go("#/history", "History");
		waitFor(By.cssSelector("tr[data-version='" + version + "'] button.show-diff")).click();
		assertThat(waitFor(By.id("diff")).getText()).contains(IMG).contains("><img src=x onerror=alert(2)>");

		// route tester: the sticky key echoed in why, the route's header changes in its policies
		go("#/tester", "Route tester");
		setValue(waitFor(By.id("tester-path")), "/hostile/1");
		setValue(browser.findElement(By.id("tester-headers")), "x-env: <img src=x onerror=alert1>\nx-user: " + IMG);
		browser.findElement(By.id("tester-run")).click();
		String answer = waitFor(By.id("tester-answer")).getText();
		assertThat(answer).contains("Route hostile").contains("sticky on header:x-user = " + IMG)
			.contains("><img src=x onerror=alert(2)>");
		screenshot("hostile-text-tester");

		// one document all along, and nothing inserted, blocked or alerted
		assertThat(browser.executeScript("return injected")).isEqualTo(List.of());
	}

	/** Navigates by hash, in the same document, and waits for the page's title. */
	private static void go(String hash, String title) {
		browser.executeScript("location.hash = arguments[0]", hash);
		waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.cssSelector("#app h1"), title));
	}

	/** The error shown in the label of the input with this id, once there. */
	private static String fieldErrorOf(String id) {
		return waitFor(By.xpath("//*[@id='" + id + "']/ancestor::label[1]//*[contains(@class, 'field-error')]")).getText();
	}

}
