package io.meshgate.admin.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.admin.store.Yaml;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.security.authz.AuthorizationPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Top-level {@code authorizationPolicies}: bound, every error with its path, stored trees round-trip. */
@SuppressWarnings("unchecked")
class AuthorizationPoliciesBindingTest {

	static final String ROUTES = """
			upstreams: [{name: svc, endpoints: ["http://127.0.0.1:9"]}]
			routes: [{id: svc, match: {path: /svc/**}, backends: [{upstream: svc}]}]
			""";

	@Test
	void everyInvalidFieldIsReportedAtOnceWithItsPath() {
		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(ROUTES + """
						authorizationPolicies:
						  - name: internal-only
						    action: DENY
						    rules:
						      - from: {ipBlocks: [10.0.0.0/8, 10.0.0.300/8]}
						        to: {methods: [get]}
						  - name: custom
						    action: CUSTOM
						  - name: bad-key
						    action: ALLOW
						    rules: [{when: [{key: source.ip, values: [x]}], to: {paths: [/a/../b]}}]
						    colour: red
						"""), MeshConfig.EMPTY));

		assertThat(error.errors()).containsExactly(
				new ConfigError("authorizationPolicies[bad-key].colour",
						"colour: unknown field (expected: one of [name, action, dryRun, targets, rules])"),
				new ConfigError("authorizationPolicies[internal-only].rules[0].from.ipBlocks[1]",
						"ipBlocks[1]: 10.0.0.300/8 (expected: an address or CIDR range, as in 10.0.0.0/8 or 2001:db8::/32)"),
				new ConfigError("authorizationPolicies[internal-only].rules[0].to.methods[0]",
						"methods[0]: get (expected: an HTTP method in upper case, as in GET)"),
				new ConfigError("authorizationPolicies[custom].action", "action: CUSTOM (expected: one of [ALLOW, DENY])"),
				new ConfigError("authorizationPolicies[bad-key].rules[0].to.paths[0]",
						"paths[0]: /a/../b (expected: a path starting with / in the normal form request paths are matched in, "
								+ "as in /orders, a prefix as in /orders/*, a suffix as in *.json, or * for any)"),
				new ConfigError("authorizationPolicies[bad-key].rules[0].when[0].key",
						"key: source.ip (expected: " + "request.headers[<name>], request.auth.claims[<name>] (nested: [a][b]), "
								+ "request.auth.principal, request.auth.audiences, request.auth.presenter or source.principal)"));
	}

	@Test
	void targetsNameStoredRoutesAndNamesAreUnique() {
		MeshConfig others = ConfigBinder.bind(Yaml.read("""
				upstreams: [{name: demo, endpoints: ["http://127.0.0.1:1"]}]
				routes: [{id: demo, match: {path: /demo/**}, backends: [{upstream: demo}]}]
				"""), MeshConfig.EMPTY);

		InvalidConfigException error = catchThrowableOfType(InvalidConfigException.class,
				() -> ConfigBinder.bind(Yaml.read(ROUTES + """
						authorizationPolicies:
						  - {name: p, action: ALLOW, targets: {routes: [svc, nope, demo]}}
						  - {name: p, action: ALLOW}
						"""), others));

		assertThat(error.errors()).containsExactly(
				new ConfigError("authorizationPolicies[p].name", "name: p (expected: unique)"),
				new ConfigError("authorizationPolicies[p].targets.routes[1]",
						"routes[1]: nope (expected: one of the routes [svc])"),
				new ConfigError("authorizationPolicies[p].targets.routes[2]", "routes[2]: demo (expected: one of the routes "
						+ "[svc]; demo comes from another source and is read-only: store a route of your own)"));
	}

	@Test
	void policiesRoundTripThroughTheStoredTree() {
		Map<String, Object> tree = Yaml.read(ROUTES + """
				authorizationPolicies:
				  - name: readers
				    action: ALLOW
				    dryRun: true
				    targets: {routes: [svc], hosts: [API.example.com]}
				    rules:
				      - from: {principals: ["spiffe://cluster.local/ns/shop/sa/web"], notIpBlocks: [10.0.0.0/8]}
				        to: {methods: [GET], paths: ["/svc/*"], ports: [8443]}
				        when: [{key: "request.auth.claims[tier]", values: [gold]}]
				""");

		BoundConfig bound = ConfigBinder.bind(tree, MeshConfig.EMPTY, BoundConfig.EMPTY);
		BoundConfig again = ConfigBinder.bind((Map<String, Object>) Yaml.read(Yaml.write(bound.tree())), MeshConfig.EMPTY,
				BoundConfig.EMPTY);

		AuthorizationPolicy policy = bound.config().authorizationPolicies().get(0);
		assertThat(policy.targets().hosts()).containsExactly("api.example.com");
		assertThat(policy.rules().get(0).to().ports()).containsExactly(8443);
		assertThat(again.config()).isEqualTo(bound.config());
		assertThat(Yaml.write(again.tree())).isEqualTo(Yaml.write(bound.tree()));
		// an edit that leaves the stored policy as it was reuses its record
		assertThat(ConfigBinder.bind((Map<String, Object>) Yaml.read(Yaml.write(bound.tree())), MeshConfig.EMPTY, bound)
			.config()
			.authorizationPolicies()
			.get(0)).isSameAs(policy);
		assertThat(ConfigBinder.bind(Yaml.read(ROUTES), MeshConfig.EMPTY, bound).tree())
			.doesNotContainKey("authorizationPolicies");
		assertThat(List.copyOf(bound.tree().keySet())).containsExactly("upstreams", "routes", "authorizationPolicies");
	}

}
