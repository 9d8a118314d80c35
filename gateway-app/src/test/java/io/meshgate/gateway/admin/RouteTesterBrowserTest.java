package io.meshgate.gateway.admin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.security.jwt.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route tester page in Debian's headless Chromium: a token, an Origin and a peer principal
 * typed into its inputs, and the explanation of identity and access it shows, step by step, with
 * the token never shown back. A screenshot goes to {@code target/screenshots/tester-access.png}.
 */
class RouteTesterBrowserTest extends BrowserTestSupport {

	private static final TestTokens IDP = new TestTokens("browser");

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
		screenshot("tester-access");
	}

}
