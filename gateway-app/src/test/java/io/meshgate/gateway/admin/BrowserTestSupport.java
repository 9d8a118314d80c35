package io.meshgate.gateway.admin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin UI in Debian's headless Chromium, one browser per test class, on the admin tests'
 * one gateway ({@link AdminTestSupport}: the same Spring context). A screenshot of each page a
 * test names goes to {@code target/screenshots/}.
 */
abstract class BrowserTestSupport extends AdminTestSupport {

	static final Path SCREENSHOTS = Path.of("target/screenshots");

	static ChromeDriver browser;

	static ChromeDriverService driverService;

	@BeforeAll
	static void startBrowser() throws IOException {
		Files.createDirectories(SCREENSHOTS);
		driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run",
				"--window-size=1280,800");
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

	/** Logs the editor in with a fresh session and waits for the routes page. */
	void login() {
		login(EDITOR, EDITOR_PASSWORD);
	}

	/** Logs {@code user} in with a fresh session and waits for the routes page. */
	void login(String user, String password) {
		browser.get("http://localhost:" + adminPort + "/login");
		browser.manage().deleteAllCookies();
		browser.get("http://localhost:" + adminPort + "/login");
		waitFor(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.id("login")).click();
		waitFor(By.id("search"));
	}

	/** The element once visible; when it never is, a screenshot of what was shown goes to {@code target/screenshots/}. */
	static WebElement waitFor(By by) {
		try {
			return waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
		}
		catch (TimeoutException ex) {
			try {
				screenshot("timeout-" + by.toString().replaceAll("[^A-Za-z0-9-]+", "_"));
			}
			catch (IOException | RuntimeException screenshotFailed) {
				ex.addSuppressed(screenshotFailed);
			}
			throw ex;
		}
	}

	/**
	 * A wait that looks every 50 ms: Selenium's default of 500 ms left up to half a second idle
	 * after every page change the tests wait for (a few hundred waits across the browser tests).
	 */
	static WebDriverWait waitUpTo(Duration timeout) {
		return new WebDriverWait(browser, timeout, Duration.ofMillis(50));
	}

	/** Sets an input's value as a user would, firing the input event the page listens to. */
	static void setValue(WebElement element, String value) {
		((JavascriptExecutor) browser).executeScript(
				"arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
				element, value);
	}

	static Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) browser).executeScript(script, arguments);
	}

	/**
	 * The text of a list row's cell, by its column's label; read in one script, since the live
	 * refresh replaces the rows when a metric changes. Empty when there is no such cell.
	 */
	static String cell(String item, String column) {
		Object text = script("const cell = document.querySelector(arguments[0]); return cell ? cell.innerText.trim() : '';",
				"tr[data-item='" + item + "'] td[data-label='" + column + "']");
		return String.valueOf(text);
	}

	static void screenshot(String name) throws IOException {
		File file = browser.getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}
