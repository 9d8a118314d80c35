package io.meshgate.policy.security.authz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization policies on a real gateway with a real upstream, over sockets. The caller's
 * identity comes from {@link TestIdentityFilter} (standing in for the certificate, JWT and
 * API-key filters); the loopback client is a trusted proxy, so {@code X-Forwarded-For} gives the
 * client address that {@code ipBlocks} read.
 */
@Import(TestIdentityFilter.class)
@TestPropertySource(properties = "meshgate.ingress.trusted-proxies=127.0.0.1/32")
class AuthorizationPoliciesTest extends GatewayTest {

	private static final String WEB = "spiffe://cluster.local/ns/shop/sa/web";

	TestUpstream upstream;

	@BeforeEach
	void upstream() {
		upstream = start("svc");
		// this class has a context of its own: its tests count from zero
		meters.clear();
	}

	@Test
	void aDenyAnswers403NamingOnlyThePolicyAndTheUpstreamIsNeverCalled() {
		apply("""
				- name: internal-only
				  action: DENY
				  targets: {routes: [svc]}
				  rules:
				    - from: {notIpBlocks: [10.0.0.0/8]}
				      to: {paths: [/svc/admin/*]}
				""");

		RawHttp.Response denied = get("/svc/admin/users", "x-forwarded-for", "192.0.2.7");

		assertThat(denied.status()).isEqualTo(403);
		assertThat(denied.headers()).containsEntry("content-type", "application/json");
		assertThat(denied.body()).isEqualTo("{\"status\":403,\"error\":\"Forbidden\",\"message\":\""
				+ AuthorizationFilter.DENIED + "\",\"route\":\"svc\",\"policy\":\"internal-only\"}");
		// the path the policy matched is the normalized one routes match: other spellings are denied too
		assertThat(get("/svc//admin/./users", "x-forwarded-for", "192.0.2.7").status()).isEqualTo(403);
		assertThat(get("/svc/%61dmin/users", "x-forwarded-for", "192.0.2.7").status()).isEqualTo(403);
		assertThat(upstream.hits()).isZero();
		// the client address forwarded by a trusted proxy is inside the block: allowed
		assertThat(get("/svc/admin/users", "x-forwarded-for", "10.1.2.3").status()).isEqualTo(200);
		assertThat(get("/svc/public", "x-forwarded-for", "192.0.2.7").status()).isEqualTo(200);
		assertThat(upstream.hits()).isEqualTo(2);
		assertThat(decisions("svc", "internal-only", "0", "deny")).isEqualTo(3);
		assertThat(decisions("svc", "(none)", "(none)", "allow")).isEqualTo(2);
	}

	@Test
	void anAllowPolicyAdmitsOnlyWhatOneOfItsRulesMatches() {
		apply("""
				- name: shop-readers
				  action: ALLOW
				  rules:
				    - from: {principals: ["%s"]}
				      to: {methods: [GET]}
				    - from: {requestPrincipals: ["https://idp.example.com/*"]}
				      when: [{key: "request.auth.claims[tier]", values: [gold]}]
				    - from: {consumers: [partner]}
				      when: [{key: "request.headers[x-env]", notValues: [prod]}]
				""".formatted(WEB));

		assertThat(get("/svc/1").status()).isEqualTo(403);
		assertThat(get("/svc/1").body()).contains("\"policy\":\"shop-readers\"");
		assertThat(get("/svc/1", "x-test-peer", WEB).status()).isEqualTo(200);
		assertThat(send("POST", "/svc/1", "x-test-peer", WEB).status()).isEqualTo(403);
		assertThat(get("/svc/1", "x-test-peer", "spiffe://cluster.local/ns/shop/sa/other").status()).isEqualTo(403);
		String alice = "https://idp.example.com/alice";
		assertThat(get("/svc/1", "x-test-request-principal", alice, "x-test-claim-tier", "gold").status()).isEqualTo(200);
		assertThat(get("/svc/1", "x-test-request-principal", alice, "x-test-claim-tier", "silver").status())
			.isEqualTo(403);
		// a list claim matches when one of its elements does
		assertThat(get("/svc/1", "x-test-request-principal", alice, "x-test-claim-tier", "silver,gold").status())
			.isEqualTo(200);
		assertThat(get("/svc/1", "x-test-request-principal", "https://other.example.com/alice", "x-test-claim-tier",
				"gold").status()).isEqualTo(403);
		assertThat(get("/svc/1", "x-test-consumer", "partner").status()).isEqualTo(200);
		assertThat(get("/svc/1", "x-test-consumer", "partner", "x-env", "prod").status()).isEqualTo(403);
		// a header a client sends never becomes an identity: only the verified one counts
		assertThat(get("/svc/1", "x-forwarded-client-cert", "URI=" + WEB).status()).isEqualTo(403);
		assertThat(upstream.hits()).isEqualTo(4);
		assertThat(decisions("svc", "shop-readers", "0", "allow")).isEqualTo(1);
		assertThat(decisions("svc", "shop-readers", "1", "allow")).isEqualTo(2);
		assertThat(decisions("svc", "shop-readers", "2", "allow")).isEqualTo(1);
		assertThat(decisions("svc", "shop-readers", "(none)", "deny")).isEqualTo(8);
	}

	@Test
	void targetsScopePoliciesToARouteAHostOrTheGateway() {
		routing.apply(new MeshConfig(List.of(Upstream.of("svc", upstream.url())),
				List.of(Route.of("a", "/a/**", Backend.of("svc", 1)), Route.of("b", "/b/**", Backend.of("svc", 1))),
				List.of(), List.of(), Policies.yaml("""
						- name: a-closed
						  action: ALLOW
						  targets: {routes: [a]}
						- name: blocked-host
						  action: DENY
						  targets: {hosts: [blocked.example.com]}
						  rules: [{to: {paths: ["*"]}}]
						- name: no-trace
						  action: DENY
						  rules: [{to: {methods: [TRACE]}}]
						""")));

		assertThat(get("/a/x").body()).contains("\"route\":\"a\",\"policy\":\"a-closed\"");
		assertThat(get("/b/x").status()).isEqualTo(200);
		assertThat(RawHttp.send(port, "GET", "/b/x", Map.of("Host", "Blocked.Example.com:8080")).body())
			.contains("\"route\":\"b\",\"policy\":\"blocked-host\"");
		assertThat(send("TRACE", "/b/x").body()).contains("\"policy\":\"no-trace\"");
		assertThat(upstream.hits()).isEqualTo(1);
	}

	@Test
	void dryRunPoliciesCountWouldBeDenialsPerRuleAndEnforceNothing() {
		apply("""
				- name: maybe-block-old
				  action: DENY
				  dryRun: true
				  rules: [{to: {paths: [/svc/new/*]}}, {to: {paths: [/svc/old/*]}}]
				- name: maybe-office-only
				  action: ALLOW
				  dryRun: true
				  rules: [{from: {ipBlocks: [10.0.0.0/8]}}]
				""");

		for (int i = 0; i < 3; i++) {
			assertThat(get("/svc/old/" + i, "x-forwarded-for", "192.0.2.7").status()).isEqualTo(200);
		}
		assertThat(get("/svc/old/x", "x-forwarded-for", "10.0.0.1").status()).isEqualTo(200);

		assertThat(upstream.hits()).isEqualTo(4);
		assertThat(decisions("svc", "maybe-block-old", "1", "dry-run-deny")).isEqualTo(4);
		assertThat(decisions("svc", "maybe-block-old", "0", "dry-run-deny")).isZero();
		assertThat(decisions("svc", "maybe-office-only", "(none)", "dry-run-deny")).isEqualTo(3);
		assertThat(decisions("svc", "(none)", "(none)", "allow")).isEqualTo(4);
	}

	private void apply(String policies) {
		routing.apply(new MeshConfig(List.of(Upstream.of("svc", upstream.url())),
				List.of(Route.of("svc", "/svc/**", Backend.of("svc", 1))), List.of(), List.of(),
				Policies.yaml(policies)));
	}

	private RawHttp.Response get(String path, String... headers) {
		return send("GET", path, headers);
	}

	private RawHttp.Response send(String method, String path, String... headers) {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("Host", "127.0.0.1:" + port);
		for (int i = 0; i < headers.length; i += 2) {
			all.put(headers[i], headers[i + 1]);
		}
		return RawHttp.send(port, method, path, all);
	}

	private double decisions(String route, String policy, String rule, String decision) {
		return counter(DecisionCounters.METER, "route", route, "policy", policy, "rule", rule, "decision", decision);
	}

}
