package io.meshgate.gateway.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route editor in headless Chromium: every error of an edit under its own field at once, the
 * canary slider (shown for two or more backends, moving the last backend's share), and a gRPC
 * route made, listed and opened again, a listener match listed by its port, a route's rate limit
 * set and removed in its card, and the canary and retry fields folded beside the main ones.
 */
class RouteEditorBrowserTest extends BrowserTestSupport {

	@BeforeEach
	void upstreams() {
		for (String name : List.of("editor-a", "editor-b")) {
			editor.post("/api/upstreams", upstream(name, "http://127.0.0.1:9"), null);
		}
	}

	@Test
	void aNewRouteShowsItsIdPathAndHeaderErrorsEachUnderItsFieldAtOnce() throws IOException {
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/new");
		setValue(waitFor(By.id("route-id")), "Bad Id!");
		setValue(browser.findElement(By.id("route-path")), "/x/{");
		setValue(browser.findElement(By.id("route-headers")), "x-env: beta(");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("editor-a");
		browser.findElement(By.id("save-route")).click();

		assertUnder("route-id", "routes[0].id", "id: Bad Id! (expected: ");
		assertUnder("route-path", "routes[0].match.path", "path: /x/{ (expected: ");
		assertUnder("route-headers", "routes[0].match.headers.x-env", "headers.x-env: beta( (expected: ");
		assertThat(browser.findElements(By.cssSelector(".field-error"))).hasSize(3);
		screenshot("route-editor-all-errors");
	}

	private static void assertUnder(String fieldId, String path, String message) {
		WebElement error = waitFor(By.cssSelector(".field-error[data-for='" + path + "']"));
		assertThat(error.getText()).startsWith(message);
		assertThat(error.findElement(By.xpath(".."))).isEqualTo(browser.findElement(By.id(fieldId)).findElement(By.xpath("..")));
	}

	@Test
	void theCanarySliderIsHiddenForOneBackendAndAnArrowKeyMovesAStatusShareByOne() throws IOException {
		editor.post("/api/routes", Map.of("id", "slider-two", "match", Map.of("path", "/slider-two/**"), "backends",
				List.of(Map.of("upstream", "editor-a", "weight", 9), Map.of("status", 503, "weight", 1))), null);
		login();
		JavascriptExecutor js = browser;

		browser.get("http://localhost:" + adminPort + "/#/routes/new");
		// the page stays loaded across hash routes: its uncaught errors are collected from here on
		js.executeScript("window.pageErrors = []; window.addEventListener('error', (e) => pageErrors.push(e.message));");
		waitFor(By.id("backend-upstream-0"));
		assertThat(browser.findElement(By.id("canary")).isDisplayed()).isFalse();

		browser.get("http://localhost:" + adminPort + "/#/routes/slider-two");
		WebElement slider = waitFor(By.id("canary-slider"));
		assertThat(browser.findElement(By.id("canary-value")).getText()).isEqualTo("10% to status 503");
		slider.sendKeys(Keys.ARROW_RIGHT);
		assertThat(browser.findElement(By.id("canary-value")).getText()).isEqualTo("11% to status 503");
		assertThat(weights(2)).containsExactly("89", "11");
		assertThat(js.executeScript("return pageErrors")).isEqualTo(List.of());
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='slider-two']"));
		assertThat(editor.get("/api/routes/slider-two").json().get("backends")).isEqualTo(
				List.of(Map.of("upstream", "editor-a", "weight", 89), Map.of("status", 503, "weight", 11)));
	}

	@Test
	void withThreeBackendsTheSliderMovesTheLastAndKeepsTheOthersRatio() {
		editor.post("/api/routes", Map.of("id", "slider-three", "match", Map.of("path", "/slider-three/**"), "backends",
				List.of(Map.of("upstream", "editor-a", "weight", 6), Map.of("status", 503, "weight", 2),
						Map.of("upstream", "editor-b", "weight", 2))), null);
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/slider-three");
		WebElement slider = waitFor(By.id("canary-slider"));
		assertThat(browser.findElement(By.id("canary-value")).getText()).isEqualTo("20% to editor-b");

		slider.sendKeys(Keys.ARROW_RIGHT);

		// 79 split 6:2 is 59.25 and 19.75: the larger remainder takes the point left over
		assertThat(weights(3)).containsExactly("59", "20", "21");
		assertThat(browser.findElement(By.id("canary-value")).getText()).isEqualTo("21% to editor-b");
	}

	@Test
	void aNegativeWeightShowsItsErrorInsteadOfAShare() throws IOException {
		editor.post("/api/routes", Map.of("id", "slider-negative", "match", Map.of("path", "/slider-negative/**"),
				"backends", List.of(Map.of("upstream", "editor-a", "weight", 9), Map.of("upstream", "editor-b", "weight", 1))),
				null);
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/slider-negative");
		waitFor(By.id("canary-slider"));

		setValue(browser.findElement(By.id("backend-weight-1")), "-11");

		WebElement error = waitFor(By.cssSelector("#backends .field-error"));
		assertThat(error.getText()).isEqualTo("weight: -11 (expected: a whole number >= 0)");
		assertThat(error.findElement(By.xpath(".."))).isEqualTo(browser.findElement(By.id("backend-weight-1")).findElement(By.xpath("..")));
		assertThat(browser.findElement(By.id("canary")).isDisplayed()).isFalse();
		assertThat(browser.findElement(By.id("app")).getText()).doesNotContain("-11 %").doesNotContain("-11%");
		screenshot("route-editor-negative-weight");

		setValue(browser.findElement(By.id("backend-weight-1")), "1");
		assertThat(browser.findElements(By.cssSelector("#backends .field-error"))).isEmpty();
		assertThat(waitFor(By.id("canary-value")).getText()).isEqualTo("10% to editor-b");
	}

	@Test
	void aGrpcRouteIsMadeInTheEditorListedByServiceAndMethodAndKeptWhenSavedAgain() throws IOException {
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/new");
		setValue(waitFor(By.id("route-id")), "orders-grpc");
		browser.findElement(By.cssSelector("details[data-path='match.grpc'] > summary")).click();
		setValue(browser.findElement(By.id("route-grpc-service")), "orders.v1.Orders");
		setValue(browser.findElement(By.id("route-grpc-method")), "Get");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("editor-a");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='orders-grpc']"));

		Map<String, Object> match = Map.of("grpc", Map.of("service", "orders.v1.Orders", "method", "Get"));
		assertThat(editor.get("/api/routes/orders-grpc").json().get("match")).isEqualTo(match);
		assertThat(matchCell("orders-grpc")).isEqualTo("gRPC orders.v1.Orders/Get");
		screenshot("routes-grpc-match");

		// opened again, the match is shown open in its fields, and an edit elsewhere keeps it
		browser.get("http://localhost:" + adminPort + "/#/routes/orders-grpc");
		assertThat(waitFor(By.id("route-grpc-service")).getDomProperty("value")).isEqualTo("orders.v1.Orders");
		screenshot("route-editor-grpc");
		setValue(browser.findElement(By.id("route-timeout")), "2s");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='orders-grpc']"));
		Map<String, Object> saved = editor.get("/api/routes/orders-grpc").json();
		assertThat(saved.get("match")).isEqualTo(match);
		assertThat(saved.get("timeout")).isEqualTo("2s");

		// a listener match is listed by its port
		assertThat(editor.post("/api/routes", Map.of("id", "on-8443", "match",
				Map.of("path", "/on-8443/**", "listener", Map.of("port", 8443)), "backends",
				List.of(Map.of("upstream", "editor-a"))), null).status()).isEqualTo(200);
		browser.get("http://localhost:" + adminPort + "/#/routes");
		browser.navigate().refresh();
		waitFor(By.cssSelector("tr[data-route='on-8443']"));
		assertThat(matchCell("on-8443")).isEqualTo("/on-8443/**\nport 8443");
	}

	@Test
	void aRateLimitIsSetInItsCardAndRemovedByEmptyingMaxTokens() throws IOException {
		editor.post("/api/routes", Map.of("id", "limited", "match", Map.of("path", "/limited/**"), "backends",
				List.of(Map.of("upstream", "editor-a"))), null);
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/limited");
		setValue(waitFor(By.id("rate-limit-maxTokens")), "50");
		setValue(browser.findElement(By.id("rate-limit-keyOn")), "header:x-api-key");
		script("arguments[0].scrollIntoView()", browser.findElement(By.cssSelector(".card[data-path='rateLimit']")));
		screenshot("route-editor-rate-limit");
		applyAndWaitForTheList("limited");
		// the stored record writes out tokensPerFill, which defaults to maxTokens
		assertThat(editor.get("/api/routes/limited").json().get("rateLimit"))
			.isEqualTo(Map.of("maxTokens", 50, "tokensPerFill", 50, "keyOn", "header:x-api-key"));

		browser.get("http://localhost:" + adminPort + "/#/routes/limited");
		assertThat(waitFor(By.id("rate-limit-maxTokens")).getDomProperty("value")).isEqualTo("50");
		setValue(browser.findElement(By.id("rate-limit-maxTokens")), "");
		applyAndWaitForTheList("limited");
		assertThat(editor.get("/api/routes/limited").json()).doesNotContainKey("rateLimit");
	}

	@Test
	void theCanaryAndRetryFieldsBesideTheMainOnesAreEditedInTheirFoldedSections() throws IOException {
		editor.post("/api/routes", Map.of("id", "more-options", "match", Map.of("path", "/more-options/**"), "backends",
				List.of(Map.of("upstream", "editor-a", "weight", 9), Map.of("upstream", "editor-b", "weight", 1)), "canary",
				Map.of("overrideHeader", "x-canary"), "retries", Map.of("attempts", 3)), null);
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/more-options");
		unfold(waitFor(By.id("canary-more")));
		setValue(browser.findElement(By.id("canary-overrideFrom")), "10.0.0.0/8");
		browser.findElement(By.id("canary-allowZeroWeight")).click();
		unfold(browser.findElement(By.id("retry-more")));
		setValue(browser.findElement(By.id("retry-baseInterval")), "50ms");
		browser.findElement(By.id("retry-retryNonIdempotent")).click();
		applyAndWaitForTheList("more-options");

		Map<String, Object> saved = editor.get("/api/routes/more-options").json();
		assertThat(saved.get("canary")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("overrideHeader", "x-canary")
			.containsEntry("overrideFrom", List.of("10.0.0.0/8"))
			.containsEntry("allowZeroWeight", true);
		assertThat(saved.get("retries")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("attempts", 3)
			.containsEntry("baseInterval", "50ms")
			.containsEntry("retryNonIdempotent", true);

		// opened again, both sections are open, showing what was set
		browser.get("http://localhost:" + adminPort + "/#/routes/more-options");
		assertThat(waitFor(By.id("retry-baseInterval")).getDomProperty("value")).isEqualTo("50ms");
		assertThat(browser.findElement(By.id("canary-more")).getDomProperty("open")).isEqualTo("true");
		assertThat(browser.findElement(By.id("canary-allowZeroWeight")).isSelected()).isTrue();
	}

	/** Opens a folded section whether or not it was open. */
	private static void unfold(WebElement details) {
		script("arguments[0].open = true", details);
	}

	private static void applyAndWaitForTheList(String route) {
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='" + route + "']"));
	}

	private static String matchCell(String route) {
		return String.valueOf(script("return document.querySelector(arguments[0]).innerText.trim();",
				"tr[data-route='" + route + "'] td:nth-child(2)"));
	}

	private static List<String> weights(int count) {
		return java.util.stream.IntStream.range(0, count)
			.mapToObj(i -> browser.findElement(By.id("backend-weight-" + i)).getAttribute("value"))
			.toList();
	}

}
