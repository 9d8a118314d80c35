package io.meshgate.policy.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Host patterns against hosts as {@code RequestHost} normalizes them (lower case, no port). */
class HostPatternTest {

	@ParameterizedTest(name = "{0} on {1}: {2}")
	@CsvSource({
			// a wildcard takes one or more labels, never the apex
			"*.example.com, a.example.com, true",
			"*.example.com, a.b.example.com, true",
			"*.example.com, example.com, false",
			"*.example.com, aexample.com, false",
			"*.example.com, a.example.com.evil, false",
			"*.example.com, a.example.org, false",
			// ** also takes the apex
			"**.example.com, example.com, true",
			"**.example.com, a.b.example.com, true",
			"**.example.com, xexample.com, false",
			// exact names and literals
			"shop.example.com, shop.example.com, true",
			"shop.example.com, a.shop.example.com, false",
			"shop.example.com, example.com, false",
			"192.0.2.1, 192.0.2.1, true",
			"[::1], [::1], true",
			// patterns are case-insensitive (hosts arrive in lower case)
			"VERY.Specific.com, very.specific.com, true",
			"*.WildCard.IO, foo.bar.wildcard.io, true" })
	void matches(String pattern, String host, boolean matches) {
		assertThat(HostPattern.of("host", pattern).matches(host)).isEqualTo(matches);
	}

	@Test
	void noUsableHostMatchesNothing() {
		for (String pattern : new String[] { "*.example.com", "**.example.com", "example.com" }) {
			assertThat(HostPattern.of("host", pattern).matches("")).as(pattern).isFalse();
		}
	}

	@Test
	void keptInLowerCase() {
		assertThat(HostPattern.of("host", "*.Example.COM")).hasToString("*.example.com");
		assertThat(new RouteMatch("/", null, null, null, null, "**.Shop.Example", null, null, null, null).host())
			.isEqualTo("**.shop.example");
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com:8080", "*", "**", "*.", "a.*.example.com", "{tenant}.example.com",
			"ex ample.com", "example..com", ".example.com", "*example.com", "[::1]:80", "*.[::1]", "[fe80::1%25eth0]",
			"https://example.com" })
	void refusesAnythingButTheThreeForms(String pattern) {
		assertThatIllegalArgumentException().isThrownBy(() -> HostPattern.of("host", pattern))
			.withMessage("host: " + pattern + " (expected: a host name as shop.example.com, *.example.com for every "
					+ "name below example.com, or **.example.com for example.com and every name below it; no port)");
	}

	@Test
	void refusesOverlongNamesAndLabels() {
		String label = "a".repeat(63);
		String name = String.join(".", label, label, label, "a".repeat(61)); // 253 characters
		assertThat(HostPattern.of("host", name).matches(name)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> HostPattern.of("host", name + "a"));
		assertThatIllegalArgumentException().isThrownBy(() -> HostPattern.of("host", "a".repeat(64) + ".com"));
	}

	@Test
	void routeMatchRefusesABadHost() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/", null, null, null, null, "shop.example.com:443", null, null, null, null))
			.withMessageStartingWith("host: shop.example.com:443 (expected: a host name");
	}

}
