package io.meshgate.gateway.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The traffic pages in headless Chromium: a route's last 15 minutes by backend, an upstream's and
 * its endpoints', and the traffic map, each reached from the lists or the navigation, each drawn
 * as SVG by the page itself, at 1280 and 390 px without sideways scrolling; an upstream answering
 * 502 is red on the map.
 */
class TrafficPagesBrowserTest extends BrowserTestSupport {

	/** A sample every 10 s on the server, a page that asks again every 5 s: two samples and a margin. */
	private static final Duration POINTS_ARRIVE = Duration.ofSeconds(35);

	private static final String BAD = "rgb(180, 35, 24)";

	private TestUpstream healthy;

	private TestUpstream broken;

	@BeforeEach
	void twoUpstreamsOneAnswering502() {
		healthy = start("pages-v1");
		broken = start("pages-v2").status(502);
		editor.post("/api/upstreams", upstream("pages-v1", healthy.url()), null);
		editor.post("/api/upstreams", upstream("pages-v2", broken.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "pages", "match", Map.of("path", "/pages/**"), "backends",
				List.of(Map.of("upstream", "pages-v1", "weight", 3), Map.of("upstream", "pages-v2", "weight", 1)), "canary",
				Map.of("overrideHeader", "x-to")), null)
			.status()).isEqualTo(200);
	}

	@Test
	void theRoutePageChartsTheLastMinutesByBackendErrorsAndLatency() throws IOException {
		send(40);
		login();
		waitFor(By.cssSelector("tr[data-route='pages'] a.route-traffic")).click();
		waitFor(By.cssSelector("#route-traffic[data-route='pages']"));
		assertThat(browser.getCurrentUrl()).endsWith("#/traffic/pages");
		// the page follows the live refresh: the points arrive without a reload
		await().atMost(POINTS_ARRIVE).until(() -> text("#route-traffic-summary").startsWith("40 requests, 10 answered 5xx"));
		assertThat(points("[data-chart='backends'] [data-series='pages-v1']")).isPositive();
		assertThat(points("[data-chart='backends'] [data-series='pages-v2']")).isPositive();
		assertThat(points("[data-chart='errors'] [data-series='5xx/s']")).isPositive();
		assertThat(points("[data-chart='latency'] [data-series='p99']")).isPositive();
		assertThat(text("[data-chart='backends'] .chart-legend")).contains("pages-v1").contains("pages-v2");
		assertThat(text("[data-chart='backends'] svg")).contains("-15 min").contains("now");
		screenshot("traffic-route-1280");
		atPhoneWidth("#/traffic/pages", "#route-traffic [data-chart='latency'] svg", "traffic-route-390");
	}

	@Test
	void theUpstreamPageChartsItsAnswersHealthBreakerAndEachEndpoint() throws IOException {
		send(40);
		login();
		browser.get("http://localhost:" + adminPort + "/#/upstreams");
		waitFor(By.cssSelector("tr[data-upstream='pages-v2'] a.upstream-traffic")).click();
		waitFor(By.cssSelector("#upstream-traffic[data-upstream='pages-v2']"));
		String endpoint = "[data-endpoint='" + broken.host() + ":" + broken.port() + "']";
		await().atMost(POINTS_ARRIVE).until(() -> points(endpoint + " [data-series='failed/s']") > 0
				&& "failing".equals(attribute("#upstream-traffic-now [data-verdict]", "data-verdict")));
		assertThat(points("[data-chart='answers'] [data-series='5xx/s']")).isPositive();
		assertThat(points(endpoint + " [data-series='in flight']")).isPositive();
		assertThat(attribute(endpoint + " .state-chart rect:last-of-type", "data-state")).isEqualTo("serving");
		assertThat(text("#upstream-traffic-now")).contains("failing").contains("breaker none");
		screenshot("traffic-upstream-1280");
		atPhoneWidth("#/upstream-traffic/pages-v2", "#upstream-traffic " + endpoint + " svg", "traffic-upstream-390");
	}

	@Test
	void theMapShowsRoutesUpstreamsAndEndpointsLiveAndAn502UpstreamRed() throws IOException {
		login();
		waitFor(By.id("nav-map")).click();
		waitFor(By.cssSelector("[data-node='upstream:pages-v2']"));
		// quiet first: another test's requests to the same names leave the live window within 10 s
		await().atMost(Duration.ofSeconds(25)).until(() -> "idle".equals(attribute("[data-node='route:pages']", "data-health"))
				&& "ok".equals(attribute("[data-node='upstream:pages-v2']", "data-health")));
		browser.executeScript("window.loadedOnce = true");

		send(40);
		// redrawn by the live refresh, not by a reload
		await().atMost(Duration.ofSeconds(10)).until(() -> "failing".equals(attribute("[data-node='upstream:pages-v2']", "data-health")));
		assertThat(browser.executeScript("return window.loadedOnce")).isEqualTo(true);
		assertThat(stroke("[data-node='upstream:pages-v2'] rect")).isEqualTo(BAD);
		String brokenEndpoint = "[data-node='endpoint:pages-v2/" + broken.host() + ":" + broken.port() + "']";
		assertThat(attribute(brokenEndpoint, "data-health")).isEqualTo("failing");
		assertThat(stroke(brokenEndpoint + " rect")).isEqualTo(BAD);
		assertThat(attribute("[data-edge='route:pages upstream:pages-v2']", "data-health")).isEqualTo("failing");
		assertThat(stroke("[data-edge='route:pages upstream:pages-v2'] path")).isEqualTo(BAD);
		assertThat(attribute("[data-node='upstream:pages-v1']", "data-health")).isEqualTo("ok");
		assertThat(attribute("[data-node='route:pages']", "data-health")).isEqualTo("degraded");
		assertThat(text("[data-node='route:pages']")).contains("/s").contains("5xx 25 %");
		// the same layout at every refresh: a node's place depends on the map alone
		String placed = attribute("[data-node='upstream:pages-v2'] rect", "y");
		await().atMost(Duration.ofSeconds(5)).until(() -> placed.equals(attribute("[data-node='upstream:pages-v2'] rect", "y")));
		assertThat(attribute("[data-node='route:pages'] rect", "x")).isEqualTo("2.0");
		screenshot("traffic-map-1280");

		atPhoneWidth("#/map", "[data-node='upstream:pages-v2']", "traffic-map-390");
		// every node inside the phone's width
		assertThat((Boolean) browser.executeScript("return [...document.querySelectorAll('[data-node] rect')]"
				+ ".every((r) => r.getBoundingClientRect().right <= window.innerWidth)")).isTrue();
		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			waitFor(By.cssSelector("a[href='#/upstream-traffic/pages-v2']"));
			browser.executeScript("document.querySelector(\"a[href='#/upstream-traffic/pages-v2']\").dispatchEvent(new MouseEvent('click', {bubbles: true}))");
			waitFor(By.cssSelector("#upstream-traffic[data-upstream='pages-v2']"));
		}
		finally {
			browser.manage().window().setSize(new Dimension(1280, 800));
		}
	}

	private void send(int requests) {
		for (int i = 0; i < requests; i++) {
			ingress.get("/pages/" + i, Map.of("x-to", i % 4 == 3 ? "pages-v2" : "pages-v1"));
		}
	}

	/** Opens the page at 390 x 844, checks that nothing scrolls sideways and saves a screenshot. */
	private void atPhoneWidth(String hash, String shown, String name) throws IOException {
		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			browser.get("http://localhost:" + adminPort + "/" + hash);
			waitFor(By.cssSelector(shown));
			// drawn for the width there is, not a wide picture shrunk to fit
			await().atMost(Duration.ofSeconds(5)).until(() -> (Boolean) browser.executeScript(
					"return [...document.querySelectorAll('#app svg')].every((s) => s.width.baseVal.value <= window.innerWidth - 20)"));
			assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
				.as("no sideways scrolling at 390 px on " + hash)
				.isTrue();
			screenshot(name);
		}
		finally {
			browser.manage().window().setSize(new Dimension(1280, 800));
		}
	}

	private static long points(String css) {
		Object value = browser.executeScript("const g = document.querySelector(arguments[0]); return g ? Number(g.dataset.points) : 0;", css);
		return ((Number) value).longValue();
	}

	private static String text(String css) {
		return (String) browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : '';", css);
	}

	private static String attribute(String css, String name) {
		return (String) browser.executeScript("const e = document.querySelector(arguments[0]); return e && e.getAttribute(arguments[1]);", css, name);
	}

	private static String stroke(String css) {
		return (String) browser.executeScript("return getComputedStyle(document.querySelector(arguments[0])).stroke", css);
	}

}
