package io.meshgate.policy.security.extauthz;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.binding.PolicyBinding;
import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy.DecisionCachePolicy;
import io.meshgate.policy.tls.TlsPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The policy's defaults, one test per invalid argument with its message, and its filter arguments. */
class ExtAuthzPolicyTest {

	private static final URI AUTH = URI.create("http://authz.internal:9000/check");

	@Test
	void defaultsAreSecure() {
		ExtAuthzPolicy policy = ExtAuthzPolicy.of(AUTH);
		assertThat(policy.timeout()).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.failOpen()).isFalse();
		assertThat(policy.statusOnError()).isEqualTo(403);
		assertThat(policy.includeRequestHeadersInCheck()).containsExactly("authorization");
		assertThat(policy.headersToUpstreamOnAllow()).isEmpty();
		assertThat(policy.headersToDownstreamOnAllow()).isEmpty();
		assertThat(policy.headersToDownstreamOnDeny()).containsExactly("www-authenticate");
		assertThat(policy.includeBodyOnDeny()).isFalse();
		assertThat(policy.maxResponseSize()).isEqualTo(DataSize.ofKilobytes(8));
		assertThat(policy.circuitBreaker()).isEqualTo(CircuitBreakerPolicy.defaults());
		assertThat(policy.cache()).isEqualTo(new DecisionCachePolicy(10_000, Duration.ofMinutes(5)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "authz:9000/check", "ftp://authz/check", "http://user:pw@authz/check", "http://authz/check?x=1",
			"http://authz/check#f", "/check" })
	void uriIsAnHttpOrHttpsUrlWithAHost(String uri) {
		assertThatIllegalArgumentException().isThrownBy(() -> ExtAuthzPolicy.of(URI.create(uri)))
			.withMessage("uri: " + uri
					+ " (expected: http:// or https:// with a host, an optional port and path, no query, user or fragment)");
	}

	@Test
	void uriIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> ExtAuthzPolicy.of(null))
			.withMessageStartingWith("uri: null (expected:");
	}

	@Test
	void tlsOnlyWithAnHttpsUri() {
		TlsPolicy simple = new TlsPolicy(TlsPolicy.Mode.SIMPLE, Path.of("/certs/ca.crt"), null, null, null, null);
		assertThatIllegalArgumentException().isThrownBy(() -> new PolicyBuilder(AUTH).tls(simple).build())
			.withMessage("tls.mode: SIMPLE (expected: DISABLE with an http uri; SIMPLE or MUTUAL need https)");
		assertThat(new PolicyBuilder(URI.create("https://authz/check")).tls(simple).build().tls()).isEqualTo(simple);
		assertThat(ExtAuthzPolicy.of(AUTH).tls()).isEqualTo(TlsPolicy.DISABLED);
	}

	@Test
	void timeoutWithinOneMillisecondAndAMinute() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PolicyBuilder(AUTH).timeout(Duration.ZERO).build())
			.withMessage("timeout: PT0S (expected: 1ms-60s)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).timeout(Duration.ofSeconds(61)).build())
			.withMessage("timeout: PT1M1S (expected: 1ms-60s)");
	}

	@Test
	void statusOnErrorIsAnErrorStatus() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PolicyBuilder(AUTH).statusOnError(200).build())
			.withMessage("statusOnError: 200 (expected: 400-599)");
	}

	@Test
	void headerNamesAreTokensAndLowerCased() {
		assertThat(new PolicyBuilder(AUTH).includeRequestHeadersInCheck("Authorization", "COOKIE", "cookie").build()
			.includeRequestHeadersInCheck()).containsExactly("authorization", "cookie");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).headersToUpstreamOnAllow("x user").build())
			.withMessage("headersToUpstreamOnAllow: [x user] (expected: header names)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "x-forwarded-for", "forwarded", "host", "content-length", "transfer-encoding", "connection",
			"x-meshgate-shadow", "proxy-authorization" })
	void requestSideHeadersAreNeverOnesTheGatewayWrites(String name) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).includeRequestHeadersInCheck(name).build())
			.withMessageStartingWith("includeRequestHeadersInCheck: " + name + " (expected: a header the gateway");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).headersToUpstreamOnAllow(name).build())
			.withMessageStartingWith("headersToUpstreamOnAllow: " + name + " (expected: a header the gateway");
	}

	@Test
	void clientSideHeadersAreNeverFraming() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).headersToDownstreamOnDeny("content-type").build())
			.withMessage("headersToDownstreamOnDeny: content-type (expected: a header the gateway does not write "
					+ "itself: not hop-by-hop, Host, Content-Length or Content-Type)");
		assertThat(new PolicyBuilder(AUTH).headersToDownstreamOnDeny("location", "set-cookie").build()
			.headersToDownstreamOnDeny()).containsExactly("location", "set-cookie");
	}

	@Test
	void maxResponseSizeAtMostOneMegabyte() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyBuilder(AUTH).maxResponseSize(DataSize.ofMegabytes(2)).build())
			.withMessage("maxResponseSize: 2097152B (expected: 0B-1MB)");
	}

	@Test
	void cacheBounds() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DecisionCachePolicy(-1, null))
			.withMessage("cache.maxEntries: -1 (expected: 0-10000000)");
		assertThatIllegalArgumentException().isThrownBy(() -> new DecisionCachePolicy(null, Duration.ZERO))
			.withMessage("cache.maxAge: PT0S (expected: >= 1ms)");
		assertThat(new DecisionCachePolicy(0, null).enabled()).isFalse();
	}

	@Test
	void filterArgumentsBindBackIntoAnEqualPolicy() {
		ExtAuthzPolicy policy = new PolicyBuilder(AUTH).timeout(Duration.ofMillis(150))
			.failOpen(true)
			.includeRequestHeadersInCheck("authorization", "cookie")
			.headersToUpstreamOnAllow("x-user-id")
			.cache(new DecisionCachePolicy(100, Duration.ofSeconds(30)))
			.build();
		Map<String, String> arguments = PolicyBinding.arguments(policy);

		assertThat(arguments).containsEntry("uri", AUTH.toString())
			.containsEntry("includeRequestHeadersInCheck", "authorization,cookie")
			.containsEntry("cache.maxAge", "30s");
		assertThat(PolicyBinding.bind(ExtAuthzPolicy.class, arguments, List.of("uri"))).isEqualTo(policy);
	}

	@Test
	void anUnknownArgumentIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PolicyBinding.bind(ExtAuthzPolicy.class, Map.of("uri", AUTH.toString(), "failopen2", "true"),
					List.of("uri")))
			.withMessageStartingWith("failopen2: true (expected: one of the arguments [uri, tls, timeout, failOpen");
	}

}
