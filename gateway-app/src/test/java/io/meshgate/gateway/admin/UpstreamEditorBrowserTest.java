package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upstream editor in headless Chromium: a form from the schema (endpoint rows, load
 * balancing, health check, outlier detection, breaker, TLS), the diff shown and confirmed
 * before anything is applied, and each error under its field.
 */
class UpstreamEditorBrowserTest extends BrowserTestSupport {

	@Test
	void aNewUpstreamIsWrittenAsAFormShownAsADiffAndAppliedOnlyOnConfirmation() throws IOException {
		TestUpstream one = start("orders-1");
		TestUpstream two = start("orders-2");
		login();
		browser.get("http://localhost:" + adminPort + "/#/upstreams/new");
		setValue(waitFor(By.id("upstream-name")), "orders");
		setValue(browser.findElement(By.id("upstream-endpoints-0-uri")), one.url());
		browser.findElement(By.id("upstream-endpoints-add")).click();
		setValue(waitFor(By.id("upstream-endpoints-1-uri")), two.url());
		setValue(browser.findElement(By.id("upstream-endpoints-1-weight")), "3");
		new Select(browser.findElement(By.id("lb-policy"))).selectByVisibleText("LEAST_REQUEST");
		browser.findElement(By.id("health-check-on")).click();
		setValue(waitFor(By.id("health-check-path")), "/healthz");
		browser.findElement(By.id("outlier-on")).click();
		setValue(browser.findElement(By.id("outlier-consecutive5xx")), "3");
		browser.findElement(By.id("breaker-on")).click();
		screenshot("upstream-editor-new");

		browser.findElement(By.id("save-upstream")).click();
		String diff = waitFor(By.id("diff")).getText();
		assertThat(diff).contains("+  - name: orders").contains("policy: LEAST_REQUEST").contains("path: /healthz")
			.contains("consecutive5xx: 3").contains("circuitBreaker:");
		assertThat(editor.get("/api/upstreams/orders").status()).isEqualTo(404);
		screenshot("upstream-editor-diff");
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-upstream='orders']"));

		Map<String, Object> stored = editor.get("/api/upstreams/orders").json();
		// stored as written, less the defaults (weight 1)
		assertThat(stored.get("endpoints")).isEqualTo(List.of(Map.of("uri", one.url()), Map.of("uri", two.url(), "weight", 3)));
		assertThat(stored.get("loadBalancer")).isEqualTo(Map.of("policy", "LEAST_REQUEST"));
		assertThat(stored.get("healthCheck")).asString().contains("path=/healthz");
		assertThat(stored.get("outlierDetection")).asString().contains("consecutive5xx=3");
		assertThat(stored).containsKey("circuitBreaker");
		assertThat(editor.post("/api/routes", route("orders", "/orders/**", Map.of("orders", 1)), null).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> ingress.get("/orders/1").statusCode() == 200);
	}

	@Test
	void anEditKeepsWhatItDoesNotTouchAndAnErrorLandsUnderItsField() throws IOException {
		TestUpstream one = start("kept-1");
		assertThat(editor.post("/api/upstreams", Map.of("name", "kept", "endpoints", List.of(one.url()), "healthCheck",
				Map.of("path", "/healthz", "interval", "7s"), "outlierDetection", Map.of("consecutive5xx", 4)), null).status())
			.isEqualTo(200);
		login();
		browser.get("http://localhost:" + adminPort + "/#/upstreams");
		waitFor(By.cssSelector("tr[data-upstream='kept'] a.edit-upstream"));
		// the list is rendered again at every refresh: found and clicked in one script
		browser.executeScript("document.querySelector(\"tr[data-upstream='kept'] a.edit-upstream\").click()");
		assertThat(waitFor(By.id("upstream-name")).getDomAttribute("readonly")).isNotNull();
		assertThat(browser.findElement(By.id("outlier-on")).isSelected()).isTrue();
		assertThat(browser.findElement(By.id("health-check-interval")).getDomProperty("value")).isEqualTo("7s");
		waitFor(By.cssSelector("#upstream-live [data-verdict]"));
		assertThat(browser.executeScript("return document.querySelector('#upstream-live [data-verdict]').dataset.verdict")).isEqualTo("ok");

		// an endpoint that is no URI: its error under its field, nothing applied
		setValue(browser.findElement(By.id("upstream-endpoints-0-uri")), "ftp://kept");
		browser.findElement(By.id("save-upstream")).click();
		WebElement error = waitFor(By.cssSelector("#upstream-form .field-error"));
		assertThat(error.getText()).contains("ftp://kept").contains("expected: http://host:port, https://host:port or tcp://host:port");
		assertThat(error.findElement(By.xpath("ancestor::fieldset")).getDomAttribute("data-path")).isEqualTo("endpoints[0]");
		screenshot("upstream-editor-error");

		// switched off outlier detection and a new interval: only those change
		setValue(browser.findElement(By.id("upstream-endpoints-0-uri")), one.url());
		browser.findElement(By.id("outlier-on")).click();
		setValue(browser.findElement(By.id("health-check-interval")), "9s");
		browser.findElement(By.id("save-upstream")).click();
		String diff = waitFor(By.id("diff")).getText();
		assertThat(diff).contains("-    outlierDetection:").contains("+      interval: 9s").doesNotContain("endpoints");
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-upstream='kept']"));
		Map<String, Object> stored = editor.get("/api/upstreams/kept").json();
		assertThat(stored).doesNotContainKey("outlierDetection");
		assertThat(stored.get("healthCheck")).asString().contains("interval=9s").contains("path=/healthz");
	}

}
