package io.meshgate.gateway.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's side of editing in headless Chromium: a conflict on the same route keeps the
 * user's edit and shows theirs against mine, an unrelated change does not stop an edit, History
 * compares any two versions and fits a phone, import reads a file and waits for confirmation,
 * and an empty search says so.
 */
class OperatorBrowserTest extends BrowserTestSupport {

	@BeforeEach
	void shop() {
		editor.post("/api/upstreams", upstream("shop-v1", "http://127.0.0.1:9"), null);
		editor.post("/api/upstreams", upstream("shop-v2", "http://127.0.0.1:10"), null);
		editor.post("/api/routes", ItemVersionsTest.route("shop", "/shop/**", "shop-v1", 90, "shop-v2", 10), null);
	}

	@AfterEach
	void wideAgain() {
		browser.manage().window().setSize(new Dimension(1280, 800));
	}

	@Test
	void aConflictOnTheSameRouteKeepsMyEditShowsTheirsAndAppliesMineAfterConfirming() throws IOException {
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/shop");
		setValue(waitFor(By.id("route-timeout")), "7s");
		// someone else shifts the canary meanwhile
		assertThat(editor.put("/api/routes/shop", ItemVersionsTest.route("shop", "/shop/**", "shop-v1", 50, "shop-v2", 50),
				null).status()).isEqualTo(200);

		browser.findElement(By.id("save-route")).click();

		WebElement conflict = waitFor(By.id("conflict"));
		assertThat(browser.findElement(By.id("conflict-message")).getText()).startsWith("route shop changed since version");
		assertThat(conflict.getText()).contains("route shop: weights 90/10 → 50/50");
		String diff = browser.findElement(By.id("conflict-diff")).getText();
		assertThat(diff).contains("-      \"weight\": 50", "+      \"weight\": 90", "+  \"timeout\": \"7s\"");
		assertThat(browser.findElement(By.id("route-timeout")).getAttribute("value")).isEqualTo("7s");
		screenshot("route-conflict");
		browser.manage().window().setSize(new Dimension(390, 844));
		assertThat(waitFor(By.id("apply-mine")).isDisplayed()).isTrue();
		assertNoSidewaysScroll();
		screenshot("route-conflict-phone");
		browser.manage().window().setSize(new Dimension(1280, 800));

		browser.findElement(By.id("apply-mine")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='shop']"));
		Map<String, Object> stored = editor.get("/api/routes/shop").json();
		assertThat(stored).containsEntry("timeout", "7s");
		assertThat(stored.get("backends")).isEqualTo(
				List.of(Map.of("upstream", "shop-v1", "weight", 90), Map.of("upstream", "shop-v2", "weight", 10)));
	}

	@Test
	void aChangeToAnotherRouteDoesNotStopAnEdit() {
		login();
		browser.get("http://localhost:" + adminPort + "/#/routes/shop");
		setValue(waitFor(By.id("route-timeout")), "4s");
		assertThat(editor.post("/api/routes", ItemVersionsTest.route("cart", "/cart/**", "shop-v1", 1), null).status())
			.isEqualTo(200);

		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();

		waitFor(By.cssSelector("tr[data-route='shop']"));
		assertThat(editor.get("/api/routes/shop").json()).containsEntry("timeout", "4s");
		assertThat(editor.get("/api/routes/cart").status()).isEqualTo(200);
	}

	@Test
	void historyComparesAnyTwoVersionsAndFitsAPhoneWithItsButtonsWhole() throws IOException {
		// versions of its own, whatever earlier tests of the shared context left in the store
		long first = editor.put("/api/routes/shop", ItemVersionsTest.route("shop", "/shop/**", "shop-v1", 50, "shop-v2", 50),
				null).version();
		editor.put("/api/routes/shop", ItemVersionsTest.route("shop", "/shop/**", "shop-v1", 70, "shop-v2", 30), null);
		long last = editor.put("/api/routes/shop", ItemVersionsTest.route("shop", "/shop/**", "shop-v1", 10, "shop-v2", 90),
				null).version();
		login();
		browser.get("http://localhost:" + adminPort + "/#/history");
		waitFor(By.cssSelector("tr[data-version='" + last + "']"));
		assertThat(browser.findElement(By.cssSelector("tr[data-version='" + last + "'] td.summary")).getText())
			.isEqualTo("route shop: weights 70/30 → 10/90");

		new Select(browser.findElement(By.id("compare-from"))).selectByValue(String.valueOf(first));
		new Select(browser.findElement(By.id("compare-to"))).selectByValue(String.valueOf(last));
		browser.findElement(By.id("compare")).click();

		assertThat(waitFor(By.id("diff-title")).getText()).isEqualTo("Version " + first + " → " + last);
		String diff = browser.findElement(By.id("diff")).getText();
		assertThat(diff).startsWith("--- version " + first + "\n+++ version " + last + "\n");
		// no weight of 50 is left, and the 10 is new: both across the versions between them
		assertThat(diff.lines()).anyMatch(line -> line.startsWith("-") && line.contains("weight: 50"))
			.anyMatch(line -> line.startsWith("+") && line.contains("weight: 10"));
		screenshot("history-compare");

		browser.manage().window().setSize(new Dimension(390, 844));
		browser.navigate().refresh();
		WebElement rollback = waitFor(By.cssSelector("tr[data-version='" + first + "'] button.rollback"));
		WebElement diffButton = browser.findElement(By.cssSelector("tr[data-version='" + last + "'] button.show-diff"));
		// one line each: no taller than a one-line button, and the page does not scroll sideways
		assertThat(rollback.getSize().getHeight()).isEqualTo(diffButton.getSize().getHeight());
		assertThat(rollback.getText()).isEqualTo("Roll back to this");
		assertNoSidewaysScroll();
		screenshot("history-phone");
	}

	private static void assertNoSidewaysScroll() {
		assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth"))
			.isLessThanOrEqualTo((Long) browser.executeScript("return window.innerWidth"));
	}

	@Test
	void importReadsAFileShowsTheDiffAndChangesNothingUntilConfirmed() throws IOException {
		Path file = Files.createTempFile("meshgate-import", ".yaml");
		Files.writeString(file, """
				upstreams:
				  - {name: shop-v1, endpoints: ['http://127.0.0.1:9']}
				  - {name: shop-v2, endpoints: ['http://127.0.0.1:10']}
				  - {name: imported, endpoints: ['http://127.0.0.1:11']}
				routes:
				  - id: shop
				    match: {path: /shop/**}
				    backends: [{upstream: shop-v1, weight: 90}, {upstream: shop-v2, weight: 10}]
				""");
		try {
			login();
			browser.get("http://localhost:" + adminPort + "/#/config");
			waitFor(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());

			waitFor(By.id("import-apply"));
			assertThat(browser.findElement(By.id("diff")).getText()).contains("+  - name: imported");
			assertThat(editor.get("/api/upstreams/imported").status()).isEqualTo(404);
			screenshot("import-preview");
			browser.manage().window().setSize(new Dimension(390, 844));
			assertNoSidewaysScroll();
			screenshot("import-preview-phone");

			waitFor(By.id("import-apply")).click();
			assertThat(waitFor(By.id("import-done")).getText()).startsWith("Imported: version ");
			assertThat(editor.get("/api/upstreams/imported").status()).isEqualTo(200);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void anEmptySearchSaysSoInsteadOfShowingBareHeaders() throws IOException {
		login();
		setValue(browser.findElement(By.id("search")), "nothing-like-this");

		assertThat(waitFor(By.id("routes-empty")).getText()).isEqualTo("No route matches “nothing-like-this”.");
		assertThat(browser.findElement(By.id("routes")).isDisplayed()).isFalse();
		screenshot("routes-empty-search");
	}

}
