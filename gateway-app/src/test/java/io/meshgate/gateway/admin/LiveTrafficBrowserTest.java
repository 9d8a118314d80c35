package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live traffic in the admin UI, in headless Chromium: rates, error shares, latency and the
 * observed split on the routes and upstreams lists, refreshed without reloading the page, and a
 * health badge that turns red within 10 s when an upstream answers 502 although its only
 * endpoint passes every check.
 */
class LiveTrafficBrowserTest extends BrowserTestSupport {

	@Test
	void anUpstreamAnswering502TurnsRedOnTheListsWithinTenSecondsWithItsErrorShare() throws IOException {
		TestUpstream healthy = start("shop-v1");
		TestUpstream broken = start("shop-v2").status(502);
		editor.post("/api/upstreams", upstream("shop-v1", healthy.url()), null);
		editor.post("/api/upstreams", upstream("shop-v2", broken.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "shop", "match", Map.of("path", "/shop/**"), "backends",
				List.of(Map.of("upstream", "shop-v1", "weight", 3), Map.of("upstream", "shop-v2", "weight", 1)), "canary",
				Map.of("overrideHeader", "x-to")), null)
			.status()).isEqualTo(200);
		login();
		// the page is loaded once: what follows arrives by its own refreshes
		browser.executeScript("window.loadedOnce = true");
		WebElement row = waitFor(By.cssSelector("tr[data-route='shop']"));
		assertThat(verdict("shop-v2")).isEqualTo("ok");

		long start = System.nanoTime();
		for (int i = 0; i < 40; i++) {
			ingress.get("/shop/" + i, Map.of("x-to", i % 4 == 3 ? "shop-v2" : "shop-v1"));
		}
		await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class)
			.until(() -> "failing".equals(verdict("shop-v2")));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		// every answer counted by a later refresh (the first red may come after three of them)
		await().atMost(Duration.ofSeconds(5)).ignoreException(StaleElementReferenceException.class)
			.until(() -> browser.findElement(By.cssSelector("tr[data-route='shop'] [data-live-upstream='shop-v2'] [data-verdict]"))
				.getDomAttribute("title").startsWith("100 % of 10 answers 5xx"));
		assertThat(browser.executeScript("return window.loadedOnce")).isEqualTo(true);
		WebElement badge = browser.findElement(By.cssSelector("tr[data-route='shop'] [data-live-upstream='shop-v2'] [data-verdict]"));
		assertThat(badge.getDomAttribute("class")).contains("bad");
		assertThat(browser.findElement(By.cssSelector("tr[data-route='shop'] [data-live-upstream='shop-v2']")).getText())
			.contains("5xx 100 %");
		assertThat(verdict("shop-v1")).isEqualTo("ok");
		// the route's own numbers: rate, 5xx share, latency, and the split seen beside the weights
		row = browser.findElement(By.cssSelector("tr[data-route='shop']"));
		assertThat(row.findElement(By.cssSelector("[data-live-route='shop']")).getText()).matches("(?s).*/s.*5xx 25 %.*p50 .* p99 .*");
		assertThat(row.findElement(By.cssSelector("[data-live-split='shop'][data-backend='shop-v1']")).getText()).isEqualTo("seen 75 %");
		WebElement split = row.findElement(By.cssSelector("[data-live-split='shop'][data-backend='shop-v2']"));
		assertThat(split.getText()).isEqualTo("seen 25 %");
		assertThat(split.getDomAttribute("title")).contains("5xx 100 %, p50 ");
		screenshot("live-routes");

		browser.get("http://localhost:" + adminPort + "/#/upstreams");
		WebElement upstream = waitFor(By.cssSelector("tr[data-upstream='shop-v2']"));
		assertThat(upstream.findElement(By.cssSelector("[data-verdict]")).getDomAttribute("data-verdict")).isEqualTo("failing");
		assertThat(upstream.findElement(By.cssSelector(".reasons")).getText()).startsWith("100 % of 10 answers 5xx in the last");
		assertThat(upstream.findElement(By.cssSelector(".endpoint")).getText()).contains("serving").contains("5xx 100 %")
			.contains("0 in flight");
		screenshot("live-upstreams");

		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			browser.get("http://localhost:" + adminPort + "/#/routes");
			waitFor(By.cssSelector("tr[data-route='shop'] [data-verdict]"));
			screenshot("live-routes-phone");
			browser.get("http://localhost:" + adminPort + "/#/upstreams");
			waitFor(By.cssSelector("tr[data-upstream='shop-v2'] [data-verdict]"));
			screenshot("live-upstreams-phone");
		}
		finally {
			browser.manage().window().setSize(new Dimension(1280, 800));
		}
	}

	private static String verdict(String upstream) {
		List<WebElement> badges = browser.findElements(
				By.cssSelector("tr[data-route='shop'] [data-live-upstream='" + upstream + "'] [data-verdict]"));
		return badges.isEmpty() ? null : badges.get(0).getDomAttribute("data-verdict");
	}

}
