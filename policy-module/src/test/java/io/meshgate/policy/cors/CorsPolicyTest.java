package io.meshgate.policy.cors;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.binding.PolicyBinding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The policy's checks and defaults, and how origins, methods and header names are matched. */
class CorsPolicyTest {

	@Test
	void defaultsAreGatewayApis() {
		CorsPolicy policy = CorsPolicy.allowing("https://shop.example.com");

		assertThat(policy.allowMethods()).isEmpty();
		assertThat(policy.allowHeaders()).isEmpty();
		assertThat(policy.exposeHeaders()).isEmpty();
		assertThat(policy.allowCredentials()).isFalse();
		assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void maxAgeWithoutUnitIsSecondsAsInGatewayApi() {
		CorsPolicy policy = PolicyBinding.bind(CorsPolicy.class,
				Map.of("allowOrigins", "https://a.example.com", "maxAge", "600"), List.of());

		assertThat(policy.maxAge()).isEqualTo(Duration.ofMinutes(10));
		assertThat(PolicyBinding.bind(CorsPolicy.class,
				Map.of("allowOrigins", "https://a.example.com", "maxAge", "1h"), List.of()).maxAge())
			.isEqualTo(Duration.ofHours(1));
	}

	@Test
	void refusesNoOrigin() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(null, null, null, null, null, null))
			.withMessage("allowOrigins: [] (expected: at least one origin, as https://shop.example.com, "
					+ "https://*.example.com or *)");
	}

	@Test
	void refusesWhatIsNotAnOrigin() {
		for (String origin : List.of("shop.example.com", "ftp://shop.example.com", "https://shop.example.com/",
				"https://shop.example.com/path", "https://user@shop.example.com", "https://shop..example.com",
				"https://shop.example.com:0", "https://shop.example.com:65536", "https://shop.example.com:",
				"https://a*.example.com", "https://*example.com", "https://shop.*.com", "https://")) {
			assertThatIllegalArgumentException().as(origin)
				.isThrownBy(() -> CorsPolicy.allowing("https://ok.example.com", origin))
				.withMessage("allowOrigins[1]: " + origin + " (expected: http or https://host[:port], "
						+ "the host may start with *. or be *; no path)");
		}
	}

	@Test
	void refusesAnOriginTwiceEvenWrittenWithItsDefaultPort() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CorsPolicy.allowing("https://Shop.example.com", "https://shop.example.com:443"))
			.withMessage("allowOrigins[1]: https://shop.example.com:443 (expected: each origin once)");
	}

	@Test
	void refusesAStarBesideOthers() {
		assertThatIllegalArgumentException().isThrownBy(() -> CorsPolicy.allowing("*", "https://a.example.com"))
			.withMessage("allowOrigins: [*, https://a.example.com] (expected: * alone, or no *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), List.of("GET", "*"), null, null, null, null))
			.withMessage("allowMethods: [GET, *] (expected: * alone, or no *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, List.of("*", "x-a"), null, null, null))
			.withMessage("allowHeaders: [*, x-a] (expected: * alone, or no *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, null, List.of("x-a", "*"), null, null))
			.withMessage("exposeHeaders: [x-a, *] (expected: * alone, or no *)");
	}

	@Test
	void refusesTheNullOriginWithCredentials() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("https://a.example.com", "null"), null, null, null, true, null))
			.withMessage("allowOrigins[1]: null (expected: not with allowCredentials: true; "
					+ "any sandboxed page sends Origin: null)");
	}

	@Test
	void refusesMethodsAndHeadersThatAreNoTokens() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), List.of("GET POST"), null, null, null, null))
			.withMessage("allowMethods[0]: GET POST (expected: a method or *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, List.of("x:a"), null, null, null))
			.withMessage("allowHeaders[0]: x:a (expected: a header name or *)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, null, List.of("x-a\r\nx-b"), null, null))
			.withMessage("exposeHeaders[0]: x-a\r\nx-b (expected: a header name or *)");
	}

	@Test
	void refusesDuplicatesHeadersWhateverTheirCase() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, List.of("X-A", "x-a"), null, null, null))
			.withMessage("allowHeaders[1]: x-a (expected: each once; names are case-insensitive)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), List.of("GET", "GET"), null, null, null, null))
			.withMessage("allowMethods[1]: GET (expected: each once)");
	}

	@Test
	void refusesMoreEntriesThanGatewayApiAllows() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, Collections.nCopies(65, "x"), null, null, null))
			.withMessage("allowHeaders: 65 entries (expected: at most 64)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), Collections.nCopies(10, "GET"), null, null, null, null))
			.withMessage("allowMethods: 10 entries (expected: at most 9)");
	}

	@Test
	void refusesAMaxAgeOfNoWholeSeconds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, null, null, null, Duration.ofMillis(1500)))
			.withMessage("maxAge: PT1.5S (expected: whole seconds, at least 1s, as 600 or 10m)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CorsPolicy(List.of("*"), null, null, null, null, Duration.ZERO))
			.withMessage("maxAge: PT0S (expected: whole seconds, at least 1s, as 600 or 10m)");
	}

	@Test
	void exactOriginsMatchAsBrowsersSerializeThem() {
		CorsRules rules = new CorsRules(CorsPolicy.allowing("https://Shop.example.com", "http://localhost:3000",
				"https://[::1]:8443"));

		assertThat(rules.allowsOrigin("https://shop.example.com")).isTrue();
		assertThat(rules.allowsOrigin("https://SHOP.example.com:443")).isTrue();
		assertThat(rules.allowsOrigin("http://localhost:3000")).isTrue();
		assertThat(rules.allowsOrigin("https://[::1]:8443")).isTrue();
		assertThat(rules.allowsOrigin("http://shop.example.com")).isFalse();
		assertThat(rules.allowsOrigin("https://shop.example.com:8443")).isFalse();
		assertThat(rules.allowsOrigin("http://localhost:3001")).isFalse();
		assertThat(rules.allowsOrigin("https://shop.example.com.evil.test")).isFalse();
		assertThat(rules.allowsOrigin("https://evilshop.example.com")).isFalse();
	}

	@Test
	void aWildcardHostStandsForOneOrMoreLabelsAtTheDefaultPort() {
		CorsRules rules = new CorsRules(CorsPolicy.allowing("https://*.bar.com", "http://*:8080"));

		assertThat(rules.allowsOrigin("https://www.bar.com")).isTrue();
		assertThat(rules.allowsOrigin("https://xpto.www.bar.com")).isTrue();
		assertThat(rules.allowsOrigin("https://WWW.Bar.com")).isTrue();
		assertThat(rules.allowsOrigin("https://bar.com")).isFalse();
		assertThat(rules.allowsOrigin("https://evilbar.com")).isFalse();
		assertThat(rules.allowsOrigin("https://www.bar.com.evil.test")).isFalse();
		assertThat(rules.allowsOrigin("http://www.bar.com")).isFalse();
		assertThat(rules.allowsOrigin("https://www.bar.com:8443")).isFalse();
		assertThat(rules.allowsOrigin("http://anything.test:8080")).isTrue();
		assertThat(rules.allowsOrigin("http://anything.test")).isFalse();
	}

	@Test
	void aStarAllowsEveryWellFormedHttpOriginButNotNullOrMalformedOnes() {
		CorsRules rules = new CorsRules(CorsPolicy.allowing("*"));

		assertThat(rules.allowsOrigin("https://foobar.com:12345")).isTrue();
		assertThat(rules.allowsOrigin("http://10.0.0.1")).isTrue();
		for (String origin : List.of("null", "", "https://", "https://a.com/", "https://a.com/x", "javascript:alert(1)",
				"chrome-extension://abc", "https://a.com:99999", "https://a com", "https://a.com\r\nx-injected: 1",
				"https://" + "a".repeat(300) + ".com", "https://a.com, https://b.com", "file://")) {
			assertThat(rules.allowsOrigin(origin)).as(origin).isFalse();
		}
	}

	@Test
	void theNullOriginOnlyWhenListed() {
		assertThat(new CorsRules(CorsPolicy.allowing("https://a.example.com")).allowsOrigin("null")).isFalse();
		assertThat(new CorsRules(CorsPolicy.allowing("https://a.example.com", "null")).allowsOrigin("null")).isTrue();
	}

	@Test
	void methodsBeyondTheSafelistedOnesMustBeListed() {
		CorsRules rules = new CorsRules(new CorsPolicy(List.of("*"), List.of("PUT"), null, null, null, null));

		assertThat(rules.allowsMethod("GET")).isTrue();
		assertThat(rules.allowsMethod("HEAD")).isTrue();
		assertThat(rules.allowsMethod("POST")).isTrue();
		assertThat(rules.allowsMethod("PUT")).isTrue();
		assertThat(rules.allowsMethod("put")).isFalse();
		assertThat(rules.allowsMethod("DELETE")).isFalse();
		CorsRules any = new CorsRules(new CorsPolicy(List.of("*"), List.of("*"), null, null, null, null));
		assertThat(any.allowsMethod("PROPFIND")).isTrue();
		assertThat(any.allowsMethod("PUT\r\nx: y")).isFalse();
		assertThat(any.allowsMethod("")).isFalse();
	}

	@Test
	void everyRequestedHeaderMustBeListed() {
		CorsRules rules = new CorsRules(
				new CorsPolicy(List.of("*"), null, List.of("Authorization", "content-type"), null, null, null));

		assertThat(rules.allowsHeaders(null)).isTrue();
		assertThat(rules.allowsHeaders("authorization")).isTrue();
		assertThat(rules.allowsHeaders("authorization,content-type")).isTrue();
		assertThat(rules.allowsHeaders(" Content-Type ,\tauthorization ")).isTrue();
		assertThat(rules.allowsHeaders("authorization, x-other")).isFalse();
		assertThat(rules.allowsHeaders("authorization,,content-type")).isFalse();
		assertThat(rules.allowsHeaders("authorization,")).isFalse();
		assertThat(rules.allowsHeaders("authorizatio")).isFalse();
		CorsRules any = new CorsRules(new CorsPolicy(List.of("*"), null, List.of("*"), null, null, null));
		assertThat(any.allowsHeaders("x-a, x-b")).isTrue();
		assertThat(any.allowsHeaders("x-a, x:b")).isFalse();
	}

}
