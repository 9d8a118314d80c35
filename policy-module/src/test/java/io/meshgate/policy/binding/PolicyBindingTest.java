package io.meshgate.policy.binding;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.support.NameUtils;

import io.meshgate.policy.fault.FaultGatewayFilterFactory;
import io.meshgate.policy.match.PathMatchRoutePredicateFactory;
import io.meshgate.policy.ratelimit.LocalRateLimitGatewayFilterFactory;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.BudgetedRetryGatewayFilterFactory;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RequestHeaderModifierGatewayFilterFactory;
import io.meshgate.policy.rewrite.UrlRewriteGatewayFilterFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Filter arguments bind into the policy records, and every error reads {@code field: value (expected: …)}. */
class PolicyBindingTest {

	final LocalRateLimitGatewayFilterFactory rateLimit = new LocalRateLimitGatewayFilterFactory(
			new SimpleMeterRegistry(), System::nanoTime);

	@Test
	void argumentsBindIntoTheRecordWithItsDefaults() {
		assertThat(rateLimit.bind(arguments("maxTokens", "5", "keyOn", "header:x-key")))
			.isEqualTo(new RateLimitPolicy(5, null, null, io.meshgate.policy.hash.HashKey.of("header:x-key"), null));
		assertThat(rateLimit.bind(arguments("max-tokens", "5"))).isEqualTo(RateLimitPolicy.perSecond(5));
	}

	@Test
	void aValueThatDoesNotConvertNamesItsArgumentAndWhatIsExpected() {
		assertThatIllegalArgumentException().isThrownBy(() -> rateLimit.bind(arguments("maxTokens", "ten")))
			.withMessage("maxTokens: ten (expected: a whole number)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> rateLimit.bind(arguments("maxTokens", "5", "fillInterval", "soon")))
			.withMessage("fillInterval: soon (expected: a duration, as in 5s or 250ms)");
		// the expectation of the value's own type, under the argument's name
		assertThatIllegalArgumentException().isThrownBy(() -> rateLimit.bind(arguments("maxTokens", "5", "keyOn", "ip")))
			.withMessage("keyOn: ip (expected: header:<name>, cookie:<name>, client-address, claim:<name>, consumer, principal or request-principal)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BudgetedRetryGatewayFilterFactory(new SimpleMeterRegistry(), new SplittableRandom(1))
				.bind(arguments("retryOn", "503,sometimes")))
			.withMessage("retryOn: sometimes (expected: connect-failure, reset, timeout, 5xx, gateway-error, unavailable, "
					+ "cancelled, deadline-exceeded, resource-exhausted or a status 100-599)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PathMatchRoutePredicateFactory().bind(arguments("type", "PATHPREFIX", "path", "/a")))
			.withMessage("type: PATHPREFIX (expected: one of [PATTERN, EXACT, PREFIX, REGEX])");
	}

	@Test
	void theRecordsOwnChecksAreTheErrors() {
		assertThatIllegalArgumentException().isThrownBy(() -> rateLimit.bind(arguments("maxTokens", "0")))
			.withMessage("maxTokens: 0 (expected: >= 1)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FaultGatewayFilterFactory(java.util.random.RandomGenerator.of("L64X128MixRandom"))
				.bind(arguments("delay.percentage", "200", "delay.fixedDelay", "1s")))
			.withMessage("delay.percentage: 200.0 (expected: 0-100)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UrlRewriteGatewayFilterFactory().bind(arguments("replacePrefixMatch", "/v2")))
			.withMessage("prefix: null (expected: the path prefix the route matches, with replacePrefixMatch)");
	}

	@Test
	void unknownArgumentsAreRefusedNotIgnored() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> rateLimit.bind(arguments("maxTokens", "5", "maxToken", "5", "tokensPerFil", "1")))
			.withMessage("maxToken: 5 (expected: one of the arguments [maxTokens, tokensPerFill, fillInterval, keyOn, "
					+ "maxKeys]); tokensPerFil: 1 (expected: one of the arguments [maxTokens, tokensPerFill, "
					+ "fillInterval, keyOn, maxKeys])");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FaultGatewayFilterFactory(java.util.random.RandomGenerator.of("L64X128MixRandom"))
				.bind(arguments("abort.status", "503")))
			.withMessage("abort.status: 503 (expected: one of the arguments [percentage, httpStatus])");
	}

	@Test
	void aShortcutWithMoreValuesThanArgumentsIsRefused() {
		Map<String, Object> given = new LinkedHashMap<>();
		given.put("scheme", "https");
		given.put("statusCode", "301");
		given.put(NameUtils.generateName(2), "extra");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new io.meshgate.policy.rewrite.RequestRedirectGatewayFilterFactory()
				.bind(new PolicyArguments(given)))
			.withMessage("arguments[2]: extra (expected: at most 2 in the shortcut form: scheme, statusCode)");
	}

	@Test
	void headerNamesInBracketsKeepTheirCaseAndListsTakeBothForms() {
		Map<String, Object> given = new LinkedHashMap<>();
		given.put("set", Map.of("X-Env", "prod"));
		given.put("remove", Map.of("0", "X-Debug", "1", "X-Trace"));
		assertThat(new RequestHeaderModifierGatewayFilterFactory().bind(new PolicyArguments(given)))
			.isEqualTo(new HeaderModifier(Map.of("X-Env", "prod"), null, java.util.List.of("X-Debug", "X-Trace")));
		assertThat(new RequestHeaderModifierGatewayFilterFactory()
			.bind(arguments("remove", "X-Debug,X-Trace")).remove()).containsExactly("X-Debug", "X-Trace");
	}

	@Test
	void argumentsAreWrittenFromTheRecord() {
		assertThat(PolicyBinding.arguments(new HeaderModifier(Map.of("X-Env", "prod"), null, java.util.List.of("a", "b"))))
			.containsExactly(Map.entry("set[X-Env]", "prod"), Map.entry("remove", "a,b"));
		assertThat(PolicyBinding.arguments(new RateLimitPolicy(5, null, null, null, null))).containsExactly(
				Map.entry("maxTokens", "5"), Map.entry("tokensPerFill", "5"), Map.entry("fillInterval", "1s"),
				Map.entry("keyOn", "client-address"), Map.entry("maxKeys", "100000"));
	}

	private static PolicyArguments arguments(String... pairs) {
		Map<String, Object> given = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			given.put(pairs[i], pairs[i + 1]);
		}
		return new PolicyArguments(given);
	}

}
