package io.meshgate.policy.security.authz;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.security.authz.AuthorizationPolicy.Action;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Condition;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Operation;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Source;
import io.meshgate.policy.security.authz.AuthorizationPolicy.Targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The checks of each field, one invalid value each, and the defaults. */
class AuthorizationPolicyTest {

	@Test
	void defaults() {
		AuthorizationPolicy policy = new AuthorizationPolicy("p", Action.ALLOW, null, null, null);

		assertThat(policy.dryRun()).isFalse();
		assertThat(policy.targets().gateway()).isTrue();
		assertThat(policy.rules()).isEmpty();
		assertThat(Policies.yaml("[{name: p, action: ALLOW, rules: [{to: {methods: [GET]}}]}]").get(0).rules().get(0).from())
			.isEqualTo(Source.ANYONE);
	}

	@Test
	void aDenyPolicyNeedsRulesSinceAnEmptyRuleIsLostInBinding() {
		assertThatIllegalArgumentException().isThrownBy(() -> Policies.yaml("[{name: p, action: DENY, rules: [{}]}]"))
			.withMessageContaining("rules: [] (expected: at least one rule for a DENY policy; a rule that matches every "
					+ "request is {to: {paths: [\"*\"]}})");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AuthorizationPolicy("p", Action.ALLOW, null, null,
					List.of(new AuthorizationPolicy.Rule(null, null, null))))
			.withMessageStartingWith("rules[0]: {} (expected: at least one of from, to, when;");
	}

	@Test
	void nameIsRequiredAndPlain() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizationPolicy("a b", Action.DENY, null, null, null))
			.withMessage("name: a b (expected: letters, digits, '-', '_' or '.', at most 128)");
	}

	@Test
	void actionIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AuthorizationPolicy("p", null, null, null, null))
			.withMessage("action: null (expected: one of [ALLOW, DENY])");
	}

	@Test
	void unknownActionIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Policies.yaml("[{name: p, action: CUSTOM}]"))
			.withMessageContaining("action: CUSTOM (expected: one of [ALLOW, DENY])");
	}

	@Test
	void everyInvalidValueOfASourceAtOnce() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Source(List.of("a*b"), null, null, List.of(""), null, null,
					List.of("10.0.0.0/8", "10.0.0.300/8"), List.of("nine")))
			.withMessage("principals[0]: a*b (expected: a value, a prefix as in abc*, a suffix as in *abc, or * for any); "
					+ "notRequestPrincipals[0]:  (expected: a value, a prefix as in abc*, a suffix as in *abc, or * for any); "
					+ "ipBlocks[1]: 10.0.0.300/8 (expected: an address or CIDR range, as in 10.0.0.0/8 or 2001:db8::/32); "
					+ "notIpBlocks[0]: nine (expected: an address or CIDR range, as in 10.0.0.0/8 or 2001:db8::/32)");
	}

	@Test
	void starOnBothEndsIsNotAMatchIstioKnows() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Source(null, null, List.of("*idp*"), null, null, null, null, null))
			.withMessageStartingWith("requestPrincipals[0]: *idp* (expected: ");
	}

	@Test
	void pathsMustBeInTheNormalFormRequestsAreMatchedIn() {
		for (String path : List.of("/a/../admin", "/a/./b*", "orders", "/%7Euser", "*/../x")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new Operation(null, null, null, null, null, null, List.of(path), null))
				.withMessageStartingWith("paths[0]: " + path + " (expected: a path starting with / in the normal form");
		}
		assertThat(new Operation(null, null, null, null, null, null, List.of("/a%2Fb", "/orders/*", "*.json", "*"), null)
			.paths()).hasSize(4);
	}

	@Test
	void hostsAreLowerCasedAndWithoutPort() {
		assertThat(new Operation(List.of("API.example.com", "*.Example.com"), null, null, null, null, null, null, null)
			.hosts()).containsExactly("api.example.com", "*.example.com");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Operation(null, List.of("api.example.com:8443"), null, null, null, null, null, null))
			.withMessageStartingWith("notHosts[0]: api.example.com:8443 (expected: a host without port");
		assertThatIllegalArgumentException().isThrownBy(() -> new Targets(null, List.of("example.com.")))
			.withMessageStartingWith("hosts[0]: example.com. (expected: a host without port or trailing dot");
	}

	@Test
	void methodsAreUpperCase() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Operation(null, null, null, null, List.of("get"), null, null, null))
			.withMessage("methods[0]: get (expected: an HTTP method in upper case, as in GET)");
	}

	@Test
	void portsAreInRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Operation(null, null, List.of(8080, 0), List.of(70000), null, null, null, null))
			.withMessage("ports[1]: 0 (expected: a port, 1-65535); notPorts[0]: 70000 (expected: a port, 1-65535)");
	}

	@Test
	void conditionKeysAreOnesMeshgateKnows() {
		for (String key : List.of("request.headers[x-env]", "request.auth.claims[tier]", "request.auth.claims[a][b]",
				"request.auth.principal", "request.auth.audiences", "request.auth.presenter", "source.principal")) {
			assertThat(new Condition(key, List.of("v"), null).key()).isEqualTo(key);
		}
		for (String key : List.of("source.ip", "request.headers[]", "request.headers[a b]", "request.auth.claims[a",
				"request.auth.claims[a]x", "destination.port")) {
			assertThatIllegalArgumentException().isThrownBy(() -> new Condition(key, List.of("v"), null))
				.withMessage("key: " + key + " (expected: " + ConditionKey.EXPECTED + ")");
		}
	}

	@Test
	void conditionNeedsValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Condition("request.auth.principal", null, List.of()))
			.withMessage("values: [] (expected: values or notValues, at least one value)");
	}

	@Test
	void targetRoutesAreIds() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Targets(List.of(" "), null))
			.withMessage("routes[0]:   (expected: a route id)");
	}

	@Test
	void valuesMatchAsIstioMatchesThem() {
		assertThat(ValueMatch.of("abc").matches("abc")).isTrue();
		assertThat(ValueMatch.of("abc").matches("abcd")).isFalse();
		assertThat(ValueMatch.of("/admin/*").matches("/admin/x")).isTrue();
		assertThat(ValueMatch.of("/admin/*").matches("/admin")).isFalse();
		assertThat(ValueMatch.of("*.json").matches("/a.json")).isTrue();
		assertThat(ValueMatch.of("*").matches("x")).isTrue();
		assertThat(ValueMatch.of("*").matches("")).isFalse();
		assertThat(ValueMatch.of("*").matches(null)).isFalse();
	}

	@Test
	void requestHostsAreComparedWithoutPortCaseAndTrailingDot() {
		assertThat(ValueMatch.requestHost("API.Example.com.:8443")).isEqualTo("api.example.com");
		assertThat(ValueMatch.requestHost("[::1]:8080")).isEqualTo("[::1]");
		String plain = "api.example.com";
		assertThat(ValueMatch.requestHost(plain)).isSameAs(plain);
	}

}
