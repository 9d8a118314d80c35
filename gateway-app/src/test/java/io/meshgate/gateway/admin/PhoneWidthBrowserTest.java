package io.meshgate.gateway.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI at phone width (390 x 844) in headless Chromium: the header is one short line
 * whose menu reaches every page, and the routes and upstreams lists fit the screen, Health and
 * Edit included, without scrolling sideways.
 */
class PhoneWidthBrowserTest extends BrowserTestSupport {

	@AfterEach
	void wideAgain() {
		browser.manage().window().setSize(new Dimension(1280, 800));
	}

	@Test
	void theHeaderIsOneShortLineAndItsMenuReachesEveryPage() throws IOException {
		login();
		browser.manage().window().setSize(new Dimension(390, 844));
		browser.get("http://localhost:" + adminPort + "/#/routes");
		waitFor(By.id("search"));
		assertThat(height("header.top")).isLessThanOrEqualTo(56);
		assertThat(browser.findElement(By.id("nav-upstreams")).isDisplayed()).isFalse();

		browser.findElement(By.id("menu")).click();
		waitFor(By.id("nav-upstreams"));
		assertThat(browser.findElement(By.id("logout")).isDisplayed()).isTrue();
		screenshot("phone-menu");
		browser.findElement(By.id("nav-upstreams")).click();
		// the page, with its table or (no upstreams yet) the sentence saying so
		waitFor(By.xpath("//*[@id='app']/h1[text()='Upstreams']"));
		assertThat(browser.findElement(By.id("nav-upstreams")).isDisplayed()).isFalse();
		assertThat(height("header.top")).isLessThanOrEqualTo(56);
	}

	@Test
	void theRoutesAndUpstreamsListsFitWithHealthAndEditInView() throws IOException {
		TestUpstream web = start("phone-web");
		editor.post("/api/upstreams", upstream("phone-web", web.url()), null);
		editor.post("/api/upstreams", upstream("phone-web-canary-with-a-long-name", web.url().replace("127.0.0.1", "localhost")), null);
		editor.post("/api/routes", Map.of("id", "phone-route-with-a-long-identifier", "match",
				Map.of("path", "/a/rather/long/path/that/would/push/the/columns/**", "headers", Map.of("x-env", "beta")), "backends",
				List.of(Map.of("upstream", "phone-web", "weight", 90), Map.of("upstream", "phone-web-canary-with-a-long-name", "weight", 10))),
				null);
		login();
		browser.manage().window().setSize(new Dimension(390, 844));
		for (String page : List.of("routes", "upstreams")) {
			browser.get("http://localhost:" + adminPort + "/#/" + page);
			String row = page.equals("routes") ? "tr[data-route]" : "tr[data-upstream='phone-web']";
			waitFor(By.cssSelector(row + " [data-verdict]"));
			assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
				.as("page width of " + page).isLessThanOrEqualTo(390);
			assertThat(((Number) browser.executeScript("const t = document.querySelector('.table-wrap'); return t.scrollWidth - t.clientWidth")).intValue())
				.as("sideways scroll of the " + page + " list").isZero();
			// read in one script: the live refresh may render the rows again between two reads
			@SuppressWarnings("unchecked")
			List<Number> rights = (List<Number>) browser.executeScript("const row = document.querySelector(arguments[0]);"
					+ " return [row.querySelector('[data-verdict]'), row.querySelector('td.actions a')]"
					+ ".map(e => e.offsetParent === null ? 9999 : e.getBoundingClientRect().right);", row);
			assertThat(rights).as("right edges of Health and Edit").allSatisfy(right -> assertThat(right.doubleValue()).isLessThanOrEqualTo(390));
			screenshot("phone-" + page);
		}
		browser.get("http://localhost:" + adminPort + "/#/upstreams/phone-web");
		waitFor(By.cssSelector("#upstream-live [data-verdict]"));
		assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
			.as("page width of the upstream editor").isLessThanOrEqualTo(390);
		screenshot("phone-upstream-editor");
	}

	private static int height(String css) {
		return ((Number) browser.executeScript("return Math.ceil(document.querySelector(arguments[0]).getBoundingClientRect().height)", css)).intValue();
	}

}
