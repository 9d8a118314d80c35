package io.meshgate.gateway.admin;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.authn.ApiKeyRequirement;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The identity and access forms of the admin UI in headless Chromium: a JWT provider, a consumer
 * with keys, a route that requires them and an authorization policy, all made through the forms
 * and then checked over the admin API and by requests through the ingress port; invalid edits
 * showing each error under its own field and changing nothing; fields without a form and masked
 * secrets surviving an edit; the lists reaching Edit at phone width.
 */
class AccessBrowserTest extends BrowserTestSupport {

	private static final String ISSUER = "https://idp.example.com";

	/** A key the operator already has (made with openssl rand -hex 32), typed into the form. */
	private static final String OWN_KEY = "8c6b1f0e2d3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

	@Test
	void anOperatorProtectsARouteWithAProviderAConsumerAndAPolicyThroughTheForms() throws Exception {
		TestUpstream orders = start("orders");
		assertThat(editor.post("/api/upstreams", upstream("orders", orders.url()), null).status()).isEqualTo(200);
		ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
		login();

		// a JWT provider with its keys inline
		open("#/jwtProviders");
		waitFor(By.id("new-item")).click();
		waitFor(By.id("provider-name")).sendKeys("forms-idp");
		browser.findElement(By.id("provider-issuer")).sendKeys(ISSUER);
		setValue(browser.findElement(By.id("provider-jwks")), new JWKSet(signing.toPublicJWK()).toString());
		browser.findElement(By.id("provider-audiences")).sendKeys("orders");
		applyItem();
		WebElement provider = waitFor(By.cssSelector("tr[data-item='forms-idp']"));
		assertThat(provider.getText()).contains(ISSUER).contains("inline JWKS").contains("orders");
		// the keys' age, read live from the gateway's meters
		await().atMost(Duration.ofSeconds(10))
			.until(() -> cell("forms-idp", "JWKS age").matches("\\d+ s"));
		screenshot("access-providers");

		// a consumer with a key made in the browser and one the operator has
		open("#/consumers");
		waitFor(By.id("new-item")).click();
		waitFor(By.id("consumer-name")).sendKeys("shop");
		browser.findElement(By.id("generate-key")).click();
		String madeKey = waitFor(By.id("new-key-value")).getText();
		assertThat(madeKey).matches("[0-9a-f]{64}");
		browser.findElement(By.id("own-key")).sendKeys(OWN_KEY);
		browser.findElement(By.id("add-key")).click();
		screenshot("access-consumer-editor");
		applyItem();
		assertThat(waitFor(By.cssSelector("tr[data-item='shop']")).getText()).contains("2");
		assertThat(editor.get("/api/consumers/shop").json())
			.isEqualTo(Map.of("name", "shop", "apiKeys", List.of(CredentialHash.text(madeKey), CredentialHash.text(OWN_KEY))));
		// the key is shown once, on the page that made it, and never again
		browser.findElement(By.cssSelector("tr[data-item='shop'] a.edit-item")).click();
		waitFor(By.cssSelector("#api-keys li[data-path='apiKeys[1]']"));
		assertThat(browser.getPageSource()).doesNotContain(madeKey).doesNotContain(OWN_KEY);

		// a route requiring a token of the provider or a consumer's key, with CORS for the shop
		open("#/routes/new");
		waitFor(By.id("route-id")).sendKeys("orders");
		browser.findElement(By.id("route-path")).sendKeys("/orders/**");
		new Select(browser.findElement(By.id("backend-upstream-0"))).selectByVisibleText("orders");
		browser.findElement(By.id("cors-allowOrigins")).sendKeys("https://shop.example.com");
		browser.findElement(By.id("jwt-provider-forms-idp")).click();
		browser.findElement(By.id("api-key-on")).click();
		assertThat(browser.findElement(By.id("api-key-fromHeader")).getDomAttribute("placeholder"))
			.isEqualTo(new ApiKeyRequirement(null).fromHeader());
		screenshot("access-route-editor");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='orders']"));
		// stored as bound: the fields the forms left empty read back with their defaults
		Map<String, Object> route = editor.get("/api/routes/orders").json();
		assertThat(at(route, "authentication.jwt.providers")).isEqualTo(List.of("forms-idp"));
		assertThat(at(route, "authentication.apiKey.fromHeader")).isEqualTo(new ApiKeyRequirement(null).fromHeader());
		assertThat(at(route, "cors.allowOrigins")).isEqualTo(List.of("https://shop.example.com"));

		// an ALLOW policy: the consumer, or gold-tier users of the provider reading
		open("#/authorizationPolicies");
		waitFor(By.id("new-item")).click();
		waitFor(By.id("policy-name")).sendKeys("orders-callers");
		new Select(browser.findElement(By.id("policy-action"))).selectByVisibleText("ALLOW");
		browser.findElement(By.id("policy-targets-routes")).sendKeys("orders");
		browser.findElement(By.id("policy-rules-add")).click();
		waitFor(By.id("policy-rules-0-from-consumers")).sendKeys("shop");
		browser.findElement(By.id("policy-rules-add")).click();
		waitFor(By.id("policy-rules-1-from-requestPrincipals")).sendKeys(ISSUER + "/*");
		browser.findElement(By.id("policy-rules-1-to-methods")).sendKeys("GET");
		browser.findElement(By.id("policy-rules-1-when-add")).click();
		waitFor(By.id("policy-rules-1-when-0-key")).sendKeys("request.auth.claims[tier]");
		browser.findElement(By.id("policy-rules-1-when-0-values")).sendKeys("gold");
		assertThat(browser.findElement(By.id("policy-rules-0-from-consumers")).getDomProperty("value")).isEqualTo("shop");
		screenshot("access-policy-editor");
		applyItem();
		WebElement policy = waitFor(By.cssSelector("tr[data-item='orders-callers']"));
		assertThat(policy.getText()).contains("ALLOW").contains("routes orders").contains("2");
		Map<String, Object> stored = editor.get("/api/authorizationPolicies/orders-callers").json();
		assertThat(at(stored, "action")).isEqualTo("ALLOW");
		assertThat(at(stored, "targets.routes")).isEqualTo(List.of("orders"));
		assertThat((List<?>) at(stored, "rules")).hasSize(2);
		assertThat(at(stored, "rules[0].from.consumers")).isEqualTo(List.of("shop"));
		assertThat(at(stored, "rules[1].from.requestPrincipals")).isEqualTo(List.of(ISSUER + "/*"));
		assertThat(at(stored, "rules[1].to.methods")).isEqualTo(List.of("GET"));
		assertThat(at(stored, "rules[1].when")).isEqualTo(List.of(Map.of("key", "request.auth.claims[tier]", "values", List.of("gold"))));

		// what the forms made is what runs
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ingress.get("/orders/1", Map.of("x-api-key", madeKey)).statusCode() == 200);
		HttpResponse<String> withOrigin = ingress.get("/orders/1",
				Map.of("x-api-key", OWN_KEY, "Origin", "https://shop.example.com"));
		assertThat(withOrigin.statusCode()).isEqualTo(200);
		assertThat(withOrigin.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
		assertThat(ingress.get("/orders/1").statusCode()).isEqualTo(401);
		assertThat(ingress.get("/orders/1", bearer(signing, "gold")).statusCode()).isEqualTo(200);
		assertThat(ingress.get("/orders/1", bearer(signing, "silver")).statusCode()).isEqualTo(403);

		// the lists show the decisions and token verdicts as they happen
		open("#/authorizationPolicies");
		await().atMost(Duration.ofSeconds(10)).until(() -> cell("orders-callers", "Decisions").contains("deny 1"));
		assertThat(cell("orders-callers", "Decisions")).contains("allow");
		open("#/jwtProviders");
		await().atMost(Duration.ofSeconds(10)).until(() -> cell("forms-idp", "Tokens on routes").equals("2 accepted, 0 refused"));
		screenshot("access-providers-live");
	}

	@Test
	void anInvalidEditShowsEachErrorUnderItsFieldAndChangesNothing() throws IOException {
		TestUpstream web = start("web");
		editor.post("/api/upstreams", upstream("web", web.url()), null);
		Map<String, Object> valid = Map.of("id", "web", "match", Map.of("path", "/web/**"), "backends",
				List.of(Map.of("upstream", "web")));
		assertThat(editor.post("/api/routes", valid, null).status()).isEqualTo(200);
		Map<String, Object> policy = Map.of("name", "internal", "action", "DENY", "targets",
				Map.of("routes", List.of("web")), "rules",
				List.of(Map.of("from", Map.of("ipBlocks", List.of("10.0.0.0/8")), "to", Map.of("methods", List.of("POST")))));
		assertThat(editor.post("/api/authorizationPolicies", policy, null).status()).isEqualTo(200);
		long version = editor.get("/api/config").version();
		Map<String, Object> routeBefore = editor.get("/api/routes/web").json();
		Map<String, Object> policyBefore = editor.get("/api/authorizationPolicies/internal").json();
		login();

		open("#/routes/web");
		waitFor(By.id("cors-allowOrigins")).sendKeys("ftp://shop.example.com");
		browser.findElement(By.id("ext-authz-uri")).sendKeys("http://authz.internal:9000/check");
		browser.findElement(By.id("ext-authz-timeout")).sendKeys("0ms");
		browser.findElement(By.id("route-claims")).sendKeys("tier: (beta");
		setValue(browser.findElement(By.id("backend-weight-0")), "-5");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("error-summary"));
		Map<String, Object> invalid = new LinkedHashMap<>(valid);
		invalid.put("match", Map.of("path", "/web/**", "claims", Map.of("tier", "(beta")));
		invalid.put("backends", List.of(Map.of("upstream", "web", "weight", -5)));
		invalid.put("cors", Map.of("allowOrigins", List.of("ftp://shop.example.com")));
		invalid.put("extAuthz", Map.of("uri", "http://authz.internal:9000/check", "timeout", "0ms"));
		assertEachErrorUnderItsField(editor.put("/api/routes/web?dryRun=true", invalid, null),
				Map.of("routes[web].cors.allowOrigins", "cors-allowOrigins", "routes[web].extAuthz.timeout",
						"ext-authz-timeout", "routes[web].match.claims", "route-claims", "routes[web].backends[0].weight",
						"backend-weight-0"));
		screenshot("access-route-errors");

		open("#/authorizationPolicies/internal");
		setValue(waitFor(By.id("policy-rules-0-from-ipBlocks")), "10.0.0.300/8");
		setValue(browser.findElement(By.id("policy-rules-0-to-methods")), "post");
		browser.findElement(By.id("save-item")).click();
		waitFor(By.id("error-summary"));
		Map<String, Object> invalidPolicy = Map.of("name", "internal", "action", "DENY", "targets",
				Map.of("routes", List.of("web")), "rules", List.of(Map.of("from",
						Map.of("ipBlocks", List.of("10.0.0.300/8")), "to", Map.of("methods", List.of("post")))));
		assertEachErrorUnderItsField(editor.put("/api/authorizationPolicies/internal?dryRun=true", invalidPolicy, null),
				Map.of("authorizationPolicies[internal].rules[0].from.ipBlocks", "policy-rules-0-from-ipBlocks",
						"authorizationPolicies[internal].rules[0].to.methods", "policy-rules-0-to-methods"));
		screenshot("access-policy-errors");

		assertThat(editor.get("/api/config").version()).isEqualTo(version);
		assertThat(editor.get("/api/routes/web").json()).isEqualTo(routeBefore);
		assertThat(editor.get("/api/authorizationPolicies/internal").json()).isEqualTo(policyBefore);
	}

	@Test
	void fieldsWithoutAFormAndMaskedSecretsSurviveAnEdit() {
		TestUpstream kept = start("kept");
		editor.post("/api/upstreams", upstream("kept", kept.url()), null);
		Map<String, Object> route = Map.of("id", "kept", "match", Map.of("path", "/kept/**"), "backends",
				List.of(Map.of("upstream", "kept")), "rateLimit", Map.of("maxTokens", 100, "keyOn", "header:x-user"),
				"requestHeaders", Map.of("set", Map.of("authorization", "Bearer upstream-secret")));
		assertThat(editor.post("/api/routes", route, null).status()).isEqualTo(200);
		Map<String, Object> provider = Map.of("name", "idp", "issuer", ISSUER, "jwksUri",
				"http://127.0.0.1:9/jwks.json", "fromHeaders", List.of(Map.of("name", "x-token")), "claimsToHeaders",
				List.of(Map.of("claim", "sub", "header", "x-user")), "clockSkew", "30s");
		assertThat(editor.post("/api/jwtProviders", provider, null).status()).isEqualTo(200);
		// on one host only: an ALLOW policy for the whole gateway would refuse the requests below
		Map<String, Object> policy = Map.of("name", "tls-port", "action", "ALLOW", "targets",
				Map.of("hosts", List.of("api.example.com")), "rules",
				List.of(Map.of("to", Map.of("ports", List.of(8443), "notPaths", List.of("/admin/*")))));
		assertThat(editor.post("/api/authorizationPolicies", policy, null).status()).isEqualTo(200);
		Map<String, Object> routeRead = editor.get("/api/routes/kept").json();
		Map<String, Object> providerRead = editor.get("/api/jwtProviders/idp").json();
		login();

		open("#/routes/kept");
		waitFor(By.id("cors-allowOrigins")).sendKeys("https://shop.example.com");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='kept']"));
		Map<String, Object> edited = editor.get("/api/routes/kept").json();
		assertThat(edited).containsAllEntriesOf(routeRead);
		assertThat(at(edited, "cors.allowOrigins")).isEqualTo(List.of("https://shop.example.com"));
		// the masked header went back as the mask, and the stored secret was kept
		await().atMost(Duration.ofSeconds(5)).until(() -> ingress.get("/kept/1").statusCode() == 200);
		assertThat(kept.received().get(kept.received().size() - 1).headers())
			.containsEntry("authorization", "Bearer upstream-secret");

		// clearing the origins turns CORS off, whatever defaults its other fields read back with
		open("#/routes/kept");
		setValue(waitFor(By.id("cors-allowOrigins")), "");
		browser.findElement(By.id("save-route")).click();
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-route='kept']"));
		assertThat(editor.get("/api/routes/kept").json()).isEqualTo(routeRead);

		open("#/jwtProviders/idp");
		waitFor(By.id("provider-audiences")).sendKeys("orders");
		applyItem();
		waitFor(By.cssSelector("tr[data-item='idp']"));
		Map<String, Object> expectedProvider = new LinkedHashMap<>(providerRead);
		expectedProvider.put("audiences", List.of("orders"));
		assertThat(editor.get("/api/jwtProviders/idp").json()).isEqualTo(expectedProvider);
		Map<String, Object> policyRead = editor.get("/api/authorizationPolicies/tls-port").json();

		// a field changed, nothing else: the diff has one added line and no removed one
		open("#/authorizationPolicies/tls-port");
		waitFor(By.id("policy-dryRun")).click();
		browser.findElement(By.id("save-item")).click();
		List<String> changed = waitFor(By.id("diff")).getText()
			.lines()
			.filter(line -> line.matches("^[-+](?![-+]{2}).*"))
			.map(line -> line.replaceAll("\\s+", " "))
			.toList();
		assertThat(changed).containsExactlyElementsOf(policyRead.containsKey("dryRun")
				? List.of("- dryRun: " + policyRead.get("dryRun"), "+ dryRun: true") : List.of("+ dryRun: true"));
		waitFor(By.id("confirm-apply")).click();
		waitFor(By.cssSelector("tr[data-item='tls-port']"));
		Map<String, Object> expectedPolicy = new LinkedHashMap<>(policyRead);
		expectedPolicy.put("dryRun", true);
		assertThat(editor.get("/api/authorizationPolicies/tls-port").json()).isEqualTo(expectedPolicy);
	}

	@Test
	void atPhoneWidthEveryListReachesEditWithoutScrollingSideways() throws IOException {
		TestUpstream shop = start("shop");
		editor.post("/api/upstreams", upstream("shop", shop.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "a-route-with-a-rather-long-name-for-a-phone", "match",
				Map.of("path", "/a/very/long/path/that/does/not/fit/on/a/phone/**", "methods", List.of("GET", "POST")),
				"backends", List.of(Map.of("upstream", "shop"))), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/jwtProviders", Map.of("name", "idp", "issuer", ISSUER, "jwksUri",
				"https://idp.example.com/.well-known/a/long/path/to/the/keys/jwks.json"), null).status()).isEqualTo(200);
		assertThat(editor.post("/api/consumers", Map.of("name", "shop", "apiKeys", List.of(CredentialHash.text(OWN_KEY))),
				null).status()).isEqualTo(200);
		assertThat(editor.post("/api/authorizationPolicies", Map.of("name", "deny-admin", "action", "DENY", "rules",
				List.of(Map.of("to", Map.of("paths", List.of("/admin/*"))))), null).status()).isEqualTo(200);
		login();
		browser.manage().window().setSize(new Dimension(390, 844));
		try {
			Map<String, String> lists = Map.of("#/routes", "a.edit-route", "#/jwtProviders", "a.edit-item",
					"#/consumers", "a.edit-item", "#/authorizationPolicies", "a.edit-item");
			for (Map.Entry<String, String> list : lists.entrySet()) {
				open(list.getKey());
				WebElement edit = waitFor(By.cssSelector(list.getValue()));
				assertThat(rightEdge(edit)).as(list.getKey()).isLessThanOrEqualTo(viewportWidth());
				assertThat(pageWidth()).as(list.getKey()).isLessThanOrEqualTo(viewportWidth());
				screenshot("access-phone-" + list.getKey().substring(2));
				edit.click();
				waitFor(By.id("preview-" + (list.getKey().equals("#/routes") ? "route" : "item")));
				assertThat(pageWidth()).as(list.getKey() + " editor").isLessThanOrEqualTo(viewportWidth());
				screenshot("access-phone-" + list.getKey().substring(2) + "-editor");
			}
		}
		finally {
			browser.manage().window().setSize(new Dimension(1280, 800));
		}
	}

	/** Each error the admin API answers for what the form sent is shown once, inside the label of its field. */
	private static void assertEachErrorUnderItsField(AdminClient.Answer api, Map<String, String> inputOfPath) {
		assertThat(api.status()).as(api.body()).isEqualTo(400);
		@SuppressWarnings("unchecked")
		List<Map<String, String>> errors = (List<Map<String, String>>) api.json().get("errors");
		assertThat(errors).extracting(e -> fieldOf(e.get("path"), inputOfPath))
			.containsExactlyInAnyOrderElementsOf(inputOfPath.keySet());
		for (Map<String, String> error : errors) {
			List<WebElement> shown = browser.findElements(By.cssSelector("form .field-error[data-for='" + error.get("path") + "']"));
			assertThat(shown).as(error.get("path")).hasSize(1);
			assertThat(shown.get(0).getText()).isEqualTo(error.get("message"));
			WebElement label = shown.get(0).findElement(By.xpath(".."));
			String input = inputOfPath.get(fieldOf(error.get("path"), inputOfPath));
			assertThat(label.getTagName()).isEqualTo("label");
			assertThat(label.findElements(By.id(input))).as(error.get("path")).hasSize(1);
			assertThat(browser.findElement(By.id(input)).getDomAttribute("class")).contains("invalid");
		}
		// the summary counts them and lists none: every one has its field
		assertThat(browser.findElements(By.cssSelector("#form-errors .field-error"))).isEmpty();
		assertThat(browser.findElement(By.id("error-summary")).getText())
			.contains(errors.size() + " error(s)").contains(errors.size() + " shown at their fields");
	}

	/** The field an error's path is about: routes[web].match.claims.tier is about routes[web].match.claims. */
	private static String fieldOf(String path, Map<String, String> fields) {
		return fields.keySet().stream().filter(f -> path.equals(f) || path.startsWith(f + ".") || path.startsWith(f + "["))
			.findFirst()
			.orElse(path);
	}

	/** The value at a path such as rules[1].when[0].key in a JSON tree. */
	private static Object at(Object tree, String path) {
		Object node = tree;
		for (String key : path.split("[.\\[\\]]+")) {
			node = node instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<?, ?>) node).get(key);
		}
		return node;
	}

	/** Loads the page anew at {@code hash}, as a bookmark would, whatever page was shown before. */
	private void open(String hash) {
		browser.get("http://localhost:" + adminPort + "/" + hash);
		browser.navigate().refresh();
	}

	/** Apply, then confirm the diff shown, on a JWT provider, consumer or policy editor. */
	private static void applyItem() {
		browser.findElement(By.id("save-item")).click();
		waitFor(By.id("confirm-apply")).click();
	}

	private static Map<String, String> bearer(ECKey key, String tier) throws JOSEException {
		SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject("alice")
					.audience("orders")
					.claim("tier", tier)
					.expirationTime(Date.from(Instant.now().plusSeconds(600)))
					.build());
		token.sign(new ECDSASigner(key));
		return Map.of("Authorization", "Bearer " + token.serialize());
	}

	private static long rightEdge(WebElement element) {
		return ((Number) script("return Math.ceil(arguments[0].getBoundingClientRect().right);", element)).longValue();
	}

	private static long viewportWidth() {
		return ((Number) script("return document.documentElement.clientWidth;")).longValue();
	}

	private static long pageWidth() {
		return ((Number) script("return document.documentElement.scrollWidth;")).longValue();
	}

}
