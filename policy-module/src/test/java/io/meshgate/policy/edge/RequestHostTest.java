package io.meshgate.policy.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/** The Host header as host matching reads it: port and case ignored, anything odd no host at all. */
class RequestHostTest {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({
			"a.example.com, a.example.com",
			"a.example.com:1234, a.example.com",
			"a.example.com:80, a.example.com",
			"a.example.com:, a.example.com",
			"VERY.specific.com, very.specific.com",
			"Very.Specific.Com:8443, very.specific.com",
			"example.com., example.com",
			"example.com.:8080, example.com",
			"192.0.2.1:8080, 192.0.2.1",
			"[::1]:8080, [::1]",
			"[::1], [::1]",
			"[2001:DB8::A], [2001:db8::a]",
			"[::ffff:192.0.2.1]:443, [::ffff:192.0.2.1]" })
	void normalizes(String header, String host) {
		assertThat(RequestHost.normalize(header)).isEqualTo(host);
	}

	@Test
	void aHostAlreadyNormalIsReturnedAsItIs() {
		String header = "shop.example.com";
		assertThat(RequestHost.normalize(header)).isSameAs(header);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ":8080", "a.example.com:http", "a.example.com:123456", "a.example.com:80:80",
			"a..example.com", ".example.com", "example.com..", "a b.example.com", "a/b.example.com",
			"a.example.com/", "user@a.example.com", "[::1", "::1", "[::1]x", "[::1]:8o", "[fe80::1%eth0]",
			"[]", "[g::1]", "\u00e9xample.com", "a.example.com\t" })
	void malformedIsNoHost(String header) {
		assertThat(RequestHost.normalize(header)).isEmpty();
	}

	@Test
	void missingIsNoHost() {
		assertThat(RequestHost.normalize(null)).isEmpty();
	}

	@Test
	void boundedBeforeBeingRead() {
		String label = "a".repeat(63);
		String longest = String.join(".", label, label, label, "a".repeat(61));
		assertThat(RequestHost.normalize(longest + ".:65535")).isEqualTo(longest);
		assertThat(RequestHost.normalize(longest + "a")).isEmpty();
		assertThat(RequestHost.normalize("a".repeat(100_000))).isEmpty();
		assertThat(RequestHost.normalize("a.".repeat(50_000) + "com")).isEmpty();
	}

	@Test
	void computedOncePerRequest() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/").header("Host", "Shop.Example:8080"));
		assertThat(RequestHost.of(exchange)).isEqualTo("shop.example");
		assertThat((String) exchange.getAttribute(ExchangeAttributes.REQUEST_HOST)).isEqualTo("shop.example");
		exchange.getAttributes().put(ExchangeAttributes.REQUEST_HOST, "cached");
		assertThat(RequestHost.of(exchange)).isEqualTo("cached");
	}

}
