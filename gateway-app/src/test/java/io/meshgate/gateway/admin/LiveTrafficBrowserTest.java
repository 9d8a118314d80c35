package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

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
		TestUpstream healthy = start("live-v1");
		TestUpstream broken = start("live-v2").status(502);
		editor.post("/api/upstreams", upstream("live-v1", healthy.url()), null);
		editor.post("/api/upstreams", upstream("live-v2", broken.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "live", "match", Map.of("path", "/live/**"), "backends",
				List.of(Map.of("upstream", "live-v1", "weight", 3), Map.of("upstream", "live-v2", "weight", 1)), "canary",
				Map.of("overrideHeader", "x-to")), null)
			.status()).isEqualTo(200);
		login();
		// the page is loaded once: what follows arrives by its own refreshes
		browser.executeScript("window.loadedOnce = true");
		waitFor(By.cssSelector("tr[data-route='live']"));
		// the badges are rendered again at every refresh: each read below is one script; without a
		// health check and before any traffic nothing says whether live-v2 answers
		assertThat(verdict("live-v2")).isEqualTo("unchecked");

		long start = System.nanoTime();
		for (int i = 0; i < 40; i++) {
			ingress.get("/live/" + i, Map.of("x-to", i % 4 == 3 ? "live-v2" : "live-v1"));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> "failing".equals(verdict("live-v2")));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		// every answer counted by a later refresh (the first red may come after three of them)
		await().atMost(Duration.ofSeconds(5)).until(() -> attribute("tr[data-route='live'] [data-live-upstream='live-v2'] [data-verdict]", "title")
				.startsWith("100 % of 10 answers 5xx"));
		assertThat(browser.executeScript("return window.loadedOnce")).isEqualTo(true);
		assertThat(attribute("tr[data-route='live'] [data-live-upstream='live-v2'] [data-verdict]", "class")).contains("bad");
		assertThat(text("tr[data-route='live'] [data-live-upstream='live-v2']")).contains("5xx 100 %");
		assertThat(verdict("live-v1")).isEqualTo("ok");
		// the route's own numbers: rate, 5xx share, latency, and the split seen beside the weights
		assertThat(text("[data-live-route='live']")).matches("(?s).*/s.*5xx 25 %.*p50 .* p99 .*");
		assertThat(text("[data-live-split='live'][data-backend='live-v1']")).isEqualTo("seen 75 %");
		assertThat(text("[data-live-split='live'][data-backend='live-v2']")).isEqualTo("seen 25 %");
		assertThat(attribute("[data-live-split='live'][data-backend='live-v2']", "title")).contains("5xx 100 %, p50 ");
		screenshot("live-routes");

		browser.get("http://localhost:" + adminPort + "/#/upstreams");
		waitFor(By.cssSelector("tr[data-upstream='live-v2'] [data-verdict]"));
		assertThat(attribute("tr[data-upstream='live-v2'] [data-verdict]", "data-verdict")).isEqualTo("failing");
		assertThat(text("tr[data-upstream='live-v2'] .reasons")).startsWith("100 % of 10 answers 5xx in the last");
		assertThat(text("tr[data-upstream='live-v2'] .endpoint")).contains("serving").contains("5xx 100 %").contains("0 in flight");
		screenshot("live-upstreams");

		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			browser.get("http://localhost:" + adminPort + "/#/routes");
			waitFor(By.cssSelector("tr[data-route='live'] [data-verdict]"));
			screenshot("live-routes-phone");
			browser.get("http://localhost:" + adminPort + "/#/upstreams");
			waitFor(By.cssSelector("tr[data-upstream='live-v2'] [data-verdict]"));
			screenshot("live-upstreams-phone");
		}
		finally {
			browser.manage().window().setSize(new Dimension(1280, 800));
		}
	}

	private static String text(String css) {
		return (String) browser.executeScript("return document.querySelector(arguments[0]).innerText", css);
	}

	private static String attribute(String css, String name) {
		return (String) browser.executeScript("return document.querySelector(arguments[0]).getAttribute(arguments[1])", css, name);
	}

	private static String verdict(String upstream) {
		return (String) browser.executeScript("const b = document.querySelector(arguments[0]); return b && b.getAttribute('data-verdict');",
				"tr[data-route='live'] [data-live-upstream='" + upstream + "'] [data-verdict]");
	}

}
