package io.meshgate.gateway.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.jwt.JwksServer;
import io.meshgate.policy.security.jwt.TestTokens;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route tester's account of identity and access, over the admin API against the running
 * gateway: tokens made here and verified with the keys the gateway fetched from a JWKS server on
 * loopback, API keys of consumers, a peer principal and a client address as if verified, and
 * Origins. Each outcome the tester explains is compared, where the gateway answers it, with what
 * the ingress port really answers; no credential is ever repeated, and the auth service of
 * external authorization is never called.
 */
class RouteTesterAccessTest extends AdminTestSupport {

	private static final TestTokens IDP = new TestTokens("tester");

	private static final String API_KEY = "k-7f3a9c2e51d04b8e";

	private static final String SHOP = "https://shop.example.com";

	private JwksServer jwks;

	private TestUpstream orders;

	private TestUpstream authService;

	@BeforeEach
	void configure() {
		jwks = new JwksServer(IDP.jwks());
		orders = start("orders");
		authService = start("auth");
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("upstreams", List.of(upstream("orders", orders.url())));
		config.put("routes", List.of(
				with(route("orders", "/orders/**", Map.of("orders", 1)), "authentication",
						Map.of("jwt", Map.of("providers", List.of("idp")))),
				with(route("optional", "/optional/**", Map.of("orders", 1)), "authentication",
						Map.of("jwt", Map.of("providers", List.of("idp"), "allowMissing", true))),
				with(route("keyed", "/keyed/**", Map.of("orders", 1)), "authentication",
						Map.of("apiKey", Map.of("fromHeader", "x-api-key"))),
				with(route("checked", "/checked/**", Map.of("orders", 1)), "extAuthz",
						Map.of("uri", authService.url() + "/check", "includeRequestHeadersInCheck",
								List.of("authorization", "x-tenant"))),
				with(route("shop", "/shop/**", Map.of("orders", 1)), "cors",
						Map.of("allowOrigins", List.of(SHOP), "allowMethods", List.of("GET", "PUT"), "allowCredentials",
								true, "maxAge", 600)),
				route("mesh", "/mesh/**", Map.of("orders", 1)),
				route("open", "/open/**", Map.of("orders", 1))));
		config.put("jwtProviders", List.of(Map.of("name", "idp", "issuer", TestTokens.ISSUER, "jwksUri",
				jwks.uri().toString(), "audiences", List.of("orders"))));
		config.put("consumers", List.of(Map.of("name", "shop-frontend", "apiKeys",
				List.of(CredentialHash.text(API_KEY)))));
		config.put("authorizationPolicies", List.of(
				Map.of("name", "no-admin", "action", "DENY", "targets", Map.of("routes", List.of("orders")), "rules",
						List.of(Map.of("to", Map.of("paths", List.of("/orders/admin/*"))))),
				Map.of("name", "audit-deletes", "action", "DENY", "dryRun", true, "targets",
						Map.of("routes", List.of("orders")), "rules",
						List.of(Map.of("to", Map.of("methods", List.of("DELETE"))))),
				Map.of("name", "mesh-only", "action", "ALLOW", "targets", Map.of("routes", List.of("mesh")), "rules",
						List.of(Map.of("from", Map.of("principals", List.of("spiffe://cluster.local/ns/shop/*"))),
								Map.of("from", Map.of("ipBlocks", List.of("10.0.0.0/8")))))));
		AdminClient.Answer put = editor.put("/api/config", config, null);
		assertThat(put.status()).as(put.body()).isEqualTo(200);
		// the gateway holds the provider's keys once a request with a token verifies
		String ready = token(Instant.now().plusSeconds(3600));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ingress.get("/orders/1", Map.of("Authorization", "Bearer " + ready)).statusCode() == 200);
	}

	@AfterEach
	void stopIdp() {
		jwks.close();
	}

	private static Map<String, Object> with(Map<String, Object> route, String key, Object value) {
		Map<String, Object> changed = new LinkedHashMap<>(route);
		changed.put(key, value);
		return changed;
	}

	private static String token(Instant expires) {
		return IDP.sign(JWSAlgorithm.RS256, TestTokens.claims("alice")
			.issueTime(Date.from(expires.minusSeconds(7200)))
			.expirationTime(Date.from(expires))
			.build());
	}

	/** The tester's answer to {@code request}: 200, and no credential of it repeated. */
	private Map<String, Object> tester(Map<String, Object> request) {
		AdminClient.Answer answer = editor.post("/api/tester", request, null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		for (String secret : new String[] { string(request.get("token")), string(request.get("apiKey")) }) {
			if (secret != null) {
				assertThat(answer.body()).doesNotContain(secret);
			}
		}
		return answer.json();
	}

	private static String string(Object value) {
		return value == null ? null : value.toString();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> part(Map<String, Object> answer, String name) {
		return (Map<String, Object>) ((Map<String, Object>) answer.get("access")).get(name);
	}

	@SuppressWarnings("unchecked")
	private static List<String> summary(Map<String, Object> answer) {
		return (List<String>) ((Map<String, Object>) answer.get("access")).get("summary");
	}

	@Test
	void aVerifiedTokenNamesItsProviderAndPrincipal() {
		String token = token(Instant.now().plusSeconds(3600));

		Map<String, Object> answer = tester(Map.of("path", "/orders/1", "token", token));

		assertThat(answer).containsEntry("route", "orders").containsEntry("status", null);
		assertThat(part(answer, "authentication")).containsEntry("ran", "jwt idp").containsEntry("outcome", "success")
			.containsEntry("result", "jwt idp: verified, principal " + TestTokens.ISSUER + "/alice");
		assertThat(part(answer, "identity")).containsEntry("requestPrincipal", TestTokens.ISSUER + "/alice")
			.containsEntry("tokenVerdict", "verified by idp");
		assertThat(summary(answer)).contains("jwt idp: verified, principal https://idp.test/alice",
				"authorization: no DENY policy's rule matched and no ALLOW policy applies to the request: allowed",
				"the request goes on to the route's backend");
	}

	@Test
	void anExpiredTokenIsRefusedWithTheChallengeTheGatewayAnswers() {
		String token = token(Instant.now().minusSeconds(3600));
		HttpResponse<String> real = ingress.get("/orders/1", Map.of("Authorization", "Bearer " + token));

		Map<String, Object> answer = tester(Map.of("path", "/orders/1", "token", token));

		assertThat(real.statusCode()).isEqualTo(401);
		assertThat(answer).containsEntry("status", 401);
		assertThat(part(answer, "authentication")).containsEntry("outcome", "expired")
			.containsEntry("result", "jwt idp: the token has expired")
			.containsEntry("message", "the token has expired")
			.containsEntry("wwwAuthenticate", real.headers().allValues("WWW-Authenticate"));
		assertThat(summary(answer)).contains("jwt idp: the token has expired -> 401");
		assertThat(part(answer, "authorization")).isNull();
	}

	@Test
	void aRequestWithoutATokenIsChallengedOrLetThroughWhereMissingIsAllowed() {
		HttpResponse<String> real = ingress.get("/orders/1");

		Map<String, Object> required = tester(Map.of("path", "/orders/1"));
		Map<String, Object> optional = tester(Map.of("path", "/optional/1"));

		assertThat(real.statusCode()).isEqualTo(401);
		assertThat(required).containsEntry("status", 401);
		assertThat(part(required, "authentication")).containsEntry("outcome", "missing")
			.containsEntry("message", "authentication required")
			.containsEntry("wwwAuthenticate", real.headers().allValues("WWW-Authenticate"));
		assertThat(optional).containsEntry("status", null);
		assertThat(part(optional, "authentication")).containsEntry("outcome", "missing-allowed")
			.containsEntry("result", "jwt: missing token allowed");
	}

	@Test
	void anApiKeyNamesItsConsumerAndAnUnknownOneIsRefused() {
		HttpResponse<String> real = ingress.get("/keyed/1", Map.of("x-api-key", "k-unknown-key"));

		Map<String, Object> known = tester(Map.of("path", "/keyed/1", "apiKey", API_KEY));
		Map<String, Object> unknown = tester(Map.of("path", "/keyed/1", "apiKey", "k-unknown-key"));

		assertThat(known).containsEntry("status", null);
		assertThat(part(known, "authentication")).containsEntry("ran", "apiKey from x-api-key")
			.containsEntry("result", "apiKey: consumer shop-frontend").containsEntry("consumer", "shop-frontend");
		assertThat(real.statusCode()).isEqualTo(401);
		assertThat(unknown).containsEntry("status", 401);
		assertThat(part(unknown, "authentication")).containsEntry("outcome", "invalid-key")
			.containsEntry("wwwAuthenticate", real.headers().allValues("WWW-Authenticate"));
	}

	@Test
	void externalAuthorizationIsDescribedAndNeverCalled() {
		String token = token(Instant.now().plusSeconds(3600));

		Map<String, Object> answer = tester(Map.of("path", "/checked/a?b=c", "token", token, "clientAddress",
				"192.0.2.7", "headers", Map.of("x-tenant", "blue", "x-other", "1")));

		Map<String, Object> extAuthz = part(answer, "extAuthz");
		assertThat(extAuthz).containsEntry("consulted", true)
			.containsEntry("uri", authService.url() + "/check")
			.containsEntry("method", "GET")
			.containsEntry("pathAndQuery", "/checked/a?b=c")
			.containsEntry("clientHeaders", List.of("authorization", "x-tenant"))
			.containsEntry("decision", "unknown: the tester never calls the auth service");
		assertThat(extAuthz.get("gatewayHeaders")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("x-forwarded-for", "192.0.2.7")
			.containsEntry("x-forwarded-uri", "/checked/a?b=c");
		assertThat(summary(answer)).anySatisfy(line -> assertThat(line).startsWith("ext-authz: " + authService.url()
				+ "/check would be consulted with authorization, x-tenant, x-forwarded-for"));
		assertThat(authService.hits()).isZero();
	}

	@Test
	void aDenyPolicyDecidesWithItsRuleAndTheGatewayAnswers403NamingIt() {
		String token = token(Instant.now().plusSeconds(3600));
		HttpResponse<String> real = ingress.get("/orders/admin/users", Map.of("Authorization", "Bearer " + token));

		Map<String, Object> answer = tester(Map.of("path", "/orders/admin/users", "token", token));

		assertThat(real.statusCode()).isEqualTo(403);
		assertThat(real.body()).contains("\"policy\":\"no-admin\"").doesNotContain("/orders/admin/*");
		assertThat(answer).containsEntry("status", 403);
		assertThat(part(answer, "authorization")).containsEntry("allowed", false).containsEntry("policy", "no-admin")
			.containsEntry("action", "DENY").containsEntry("rule", 0).containsEntry("status", 403)
			// the rule as stored: its empty from (anyone) is a default, left out
			.containsEntry("ruleValues", Map.of("to", Map.of("paths", List.of("/orders/admin/*"))));
		assertThat(summary(answer)).contains("authorization: DENY policy no-admin, rule 0 matched: denied (403)");
	}

	@Test
	void aDryRunPolicyIsReportedAsAWouldBeDenialThatIsNotEnforced() {
		String token = token(Instant.now().plusSeconds(3600));

		Map<String, Object> answer = tester(Map.of("method", "DELETE", "path", "/orders/1", "token", token));

		assertThat(answer).containsEntry("status", null);
		assertThat(part(answer, "authorization")).containsEntry("allowed", true)
			.containsEntry("dryRunDenials", List.of(Map.of("policy", "audit-deletes", "rule", 0)));
		assertThat(summary(answer))
			.contains("authorization: dry-run policy audit-deletes would deny (rule 0); counted, not enforced");
	}

	@Test
	void allowPoliciesAllowByPeerPrincipalOrClientAddressAndDenyWhenNoneMatches() {
		HttpResponse<String> real = ingress.get("/mesh/1");

		Map<String, Object> workload = tester(Map.of("path", "/mesh/1", "identity",
				Map.of("principal", "spiffe://cluster.local/ns/shop/sa/web")));
		Map<String, Object> internal = tester(Map.of("path", "/mesh/1", "clientAddress", "10.1.2.3"));
		Map<String, Object> outsider = tester(Map.of("path", "/mesh/1", "clientAddress", "192.0.2.7"));
		Map<String, Object> open = tester(Map.of("path", "/open/1"));

		assertThat(part(workload, "authorization")).containsEntry("allowed", true).containsEntry("policy", "mesh-only")
			.containsEntry("rule", 0);
		assertThat(part(workload, "identity")).containsEntry("principal", "spiffe://cluster.local/ns/shop/sa/web");
		assertThat(part(internal, "authorization")).containsEntry("allowed", true).containsEntry("rule", 1);
		assertThat(summary(internal)).contains("authorization: ALLOW policy mesh-only, rule 1 matched: allowed");
		assertThat(real.statusCode()).isEqualTo(403);
		assertThat(real.body()).contains("\"policy\":\"mesh-only\"");
		assertThat(outsider).containsEntry("status", 403);
		assertThat(part(outsider, "authorization")).containsEntry("policy", "mesh-only").containsEntry("rule", null)
			.containsEntry("reason", "ALLOW policies apply to the request and none of their rules matched: denied "
					+ "(403) in the name of mesh-only, the first that applies");
		assertThat(part(open, "authorization")).containsEntry("allowed", true).containsEntry("reason",
				"no authorization policy targets the route, its hosts or the gateway: allowed");
	}

	@Test
	void corsAnswersAnOriginAndAPreflightAsTheGatewayDoes() {
		Map<String, String> preflight = Map.of("Origin", SHOP, "Access-Control-Request-Method", "PUT");
		HttpResponse<String> realPreflight = ingress.send("OPTIONS", "/shop/1", preflight);
		HttpResponse<String> realRefused = ingress.send("OPTIONS", "/shop/1",
				Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT"));

		Map<String, Object> allowed = tester(Map.of("method", "OPTIONS", "path", "/shop/1", "origin", SHOP, "headers",
				Map.of("Access-Control-Request-Method", "PUT")));
		Map<String, Object> refused = tester(Map.of("method", "OPTIONS", "path", "/shop/1", "origin",
				"https://evil.example", "headers", Map.of("Access-Control-Request-Method", "PUT")));
		Map<String, Object> actual = tester(Map.of("path", "/shop/1", "origin", SHOP));
		Map<String, Object> foreign = tester(Map.of("path", "/shop/1", "origin", "https://evil.example"));

		assertThat(realPreflight.statusCode()).isEqualTo(204);
		assertThat(allowed).containsEntry("status", 204);
		Map<String, Object> cors = part(allowed, "cors");
		assertThat(cors).containsEntry("preflight", true).containsEntry("outcome", "allowed").containsEntry("status", 204);
		assertThat(cors.get("headers")).isEqualTo(Map.of(
				"vary", realPreflight.headers().allValues("Vary"),
				"access-control-allow-origin", List.of(SHOP),
				"access-control-allow-credentials", realPreflight.headers().allValues("Access-Control-Allow-Credentials"),
				"access-control-allow-methods", realPreflight.headers().allValues("Access-Control-Allow-Methods"),
				"access-control-max-age", List.of("600")));
		assertThat(part(allowed, "authentication")).isNull();
		assertThat(realRefused.statusCode()).isEqualTo(403);
		assertThat(refused).containsEntry("status", 403);
		assertThat(part(refused, "cors")).containsEntry("outcome", "origin_denied");
		assertThat(actual).containsEntry("status", null);
		assertThat(part(actual, "cors")).containsEntry("preflight", false).containsEntry("outcome", "allowed");
		assertThat(part(actual, "cors").get("headers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("access-control-allow-origin", List.of(SHOP));
		assertThat(summary(foreign))
			.contains("cors: origin https://evil.example not allowed: the answer carries no Access-Control-Allow-Origin");
	}

	@Test
	void credentialsOfTheWrongFormAreRefusedWithoutBeingRepeated() {
		AdminClient.Answer answer = editor.post("/api/tester", Map.of("path", "/orders/1", "token",
				"not a token secret-123"), null);

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body()).contains("token: (not shown)").doesNotContain("secret-123");
	}

}
