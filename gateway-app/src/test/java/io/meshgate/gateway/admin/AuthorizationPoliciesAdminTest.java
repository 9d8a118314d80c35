package io.meshgate.gateway.admin;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Top-level {@code authorizationPolicies} through the admin API: stored, applied on the ingress port, refused whole. */
class AuthorizationPoliciesAdminTest extends AdminTestSupport {

	@Test
	void aPolicyPutWithTheConfigurationIsStoredShownAndEnforced() {
		TestUpstream svc = start("svc");
		Map<String, Object> config = Map.of("upstreams", List.of(upstream("svc", svc.url())), "routes",
				List.of(route("svc", "/svc/**", Map.of("svc", 1))), "authorizationPolicies",
				List.of(Map.of("name", "no-admin", "action", "DENY", "targets", Map.of("routes", List.of("svc")), "rules",
						List.of(Map.of("to", Map.of("paths", List.of("/svc/admin/*")))))));

		AdminClient.Answer put = editor.put("/api/config", config, null);

		assertThat(put.status()).as(put.body()).isEqualTo(200);
		List<?> policies = (List<?>) editor.get("/api/config").json().get("authorizationPolicies");
		assertThat(policies).hasSize(1);
		assertThat(policies.get(0)).isEqualTo(Map.of("name", "no-admin", "action", "DENY", "targets",
				Map.of("routes", List.of("svc")), "rules", List.of(Map.of("to", Map.of("paths", List.of("/svc/admin/*"))))));
		HttpResponse<String> first = ingress.get("/svc/1");
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		HttpResponse<String> denied = ingress.get("/svc/admin/users");
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.body()).contains("\"policy\":\"no-admin\"").doesNotContain("/svc/admin");
		assertThat(svc.hits()).isEqualTo(1);
	}

	@Test
	void invalidPoliciesAnswer400WithEveryErrorAndItsPathAndChangeNothing() {
		long version = editor.get("/api/config").version();
		Map<String, Object> config = Map.of("upstreams", List.of(upstream("svc", "http://127.0.0.1:9")), "routes",
				List.of(route("svc", "/svc/**", Map.of("svc", 1))), "authorizationPolicies",
				List.of(Map.of("name", "internal-only", "action", "DENY", "rules",
						List.of(Map.of("from", Map.of("ipBlocks", List.of("10.0.0.0/8", "10.0.0.300/8"))))),
						Map.of("name", "custom", "action", "CUSTOM")));

		AdminClient.Answer rejected = editor.put("/api/config", config, null);

		assertThat(rejected.status()).isEqualTo(400);
		assertThat(rejected.json().get("errors")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactly(
					Map.of("path", "authorizationPolicies[internal-only].rules[0].from.ipBlocks[1]", "message",
							"ipBlocks[1]: 10.0.0.300/8 (expected: an address or CIDR range, as in 10.0.0.0/8 or 2001:db8::/32)"),
					Map.of("path", "authorizationPolicies[custom].action", "message",
							"action: CUSTOM (expected: one of [ALLOW, DENY])"));
		assertThat(editor.get("/api/config").version()).isEqualTo(version);

		AdminClient.Answer unknownRoute = editor.put("/api/config", Map.of("upstreams", List.of(), "routes", List.of(),
				"authorizationPolicies", List.of(Map.of("name", "p", "action", "ALLOW", "targets",
						Map.of("routes", List.of("orders"))))), null);

		assertThat(unknownRoute.status()).isEqualTo(400);
		assertThat(unknownRoute.body()).contains("\"path\":\"authorizationPolicies[p].targets.routes[0]\"")
			.contains("routes[0]: orders (expected: one of the routes [])");
		assertThat(editor.get("/api/config").version()).isEqualTo(version);
	}

}
