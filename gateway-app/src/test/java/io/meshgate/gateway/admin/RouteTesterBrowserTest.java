package io.meshgate.gateway.admin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.security.jwt.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route tester page in Debian's headless Chromium: a token, an Origin and a peer principal
 * typed into its inputs, and the explanation of identity and access it shows, step by step, with
 * the token never shown back. A screenshot goes to {@code target/screenshots/tester-access.png}.
 */
class RouteTesterBrowserTest extends AdminTestSupport {

	private static final TestTokens IDP = new TestTokens("browser");

	private static ChromeDriver browser;

	private static ChromeDriverService driverService;

	@BeforeAll
	static void startBrowser() {
		driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run",
				"--window-size=1280,1000");
		browser = new ChromeDriver(driverService, options);
		browser.manage().timeouts().implicitlyWait(Duration.ZERO);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (driverService != null) {
			driverService.stop();
		}
	}

	@Test
	void theTesterPageExplainsAuthenticationCorsAndTheDecidingPolicy() throws IOException {
		Map<String, Object> orders = new LinkedHashMap<>(route("orders", "/orders/**", Map.of("orders", 1)));
		orders.put("authentication", Map.of("jwt", Map.of("providers", List.of("idp"))));
		orders.put("cors", Map.of("allowOrigins", List.of("https://shop.example.com")));
		AdminClient.Answer put = editor.put("/api/config", Map.of(
				"upstreams", List.of(upstream("orders", "http://127.0.0.1:9")),
				"routes", List.of(orders),
				"jwtProviders", List.of(Map.of("name", "idp", "issuer", TestTokens.ISSUER, "jwks", IDP.jwks())),
				"authorizationPolicies", List.of(Map.of("name", "no-admin", "action", "DENY", "rules",
						List.of(Map.of("to", Map.of("paths", List.of("/orders/admin/*"))))))), null);
		assertThat(put.status()).as(put.body()).isEqualTo(200);
		String token = IDP.sign(JWSAlgorithm.ES256, TestTokens.claims("alice").build());

		login();
		browser.get("http://localhost:" + adminPort + "/#/tester");
		setValue(waitFor(By.id("tester-path")), "/orders/admin/users");
		new Select(browser.findElement(By.id("tester-method"))).selectByVisibleText("GET");
		setValue(browser.findElement(By.id("tester-token")), token);
		setValue(browser.findElement(By.id("tester-origin")), "https://shop.example.com");
		setValue(browser.findElement(By.id("tester-principal")), "spiffe://cluster.local/ns/shop/sa/web");
		browser.findElement(By.id("tester-run")).click();

		String access = waitFor(By.id("tester-access")).getText();
		assertThat(access).contains("answers 403")
			.contains("cors: origin https://shop.example.com allowed")
			.contains("jwt idp: verified, principal https://idp.test/alice")
			.contains("authorization: DENY policy no-admin, rule 0 matched: denied (403)");
		assertThat(browser.findElements(By.cssSelector("#tester-access-steps li"))).hasSize(3);
		assertThat(browser.findElement(By.id("tester-token")).getAttribute("type")).isEqualTo("password");
		assertThat(browser.findElement(By.id("tester-result")).getAttribute("innerHTML")).doesNotContain(token);
		Files.createDirectories(AdminBrowserTest.SCREENSHOTS);
		File shot = browser.getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), AdminBrowserTest.SCREENSHOTS.resolve("tester-access.png"),
				StandardCopyOption.REPLACE_EXISTING);
	}

	private void login() {
		browser.get("http://localhost:" + adminPort + "/login");
		browser.manage().deleteAllCookies();
		browser.get("http://localhost:" + adminPort + "/login");
		waitFor(By.id("username")).sendKeys(EDITOR);
		browser.findElement(By.id("password")).sendKeys(EDITOR_PASSWORD);
		browser.findElement(By.id("login")).click();
		waitFor(By.id("search"));
	}

	private static WebElement waitFor(By by) {
		return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
	}

	/** Sets an input's value as a user would, firing the input event the page listens to. */
	private static void setValue(WebElement element, String value) {
		((JavascriptExecutor) browser).executeScript(
				"arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
				element, value);
	}

}
