package io.meshgate.policy.edge;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.edge.ClientAddressResolver.ForwardedHeader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The walk over forwarding headers, without a server. */
class ClientAddressResolverTest {

	static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.1", 40000);

	static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.9", 40000);

	final ClientAddressResolver xff = new ClientAddressResolver(
			CidrSet.of("trustedProxies", List.of("10.0.0.0/8", "2001:db8::/32")), ForwardedHeader.X_FORWARDED_FOR);

	final ClientAddressResolver forwarded = new ClientAddressResolver(
			CidrSet.of("trustedProxies", List.of("10.0.0.0/8", "2001:db8::/32")), ForwardedHeader.FORWARDED);

	@Test
	void onlyATrustedPeerIsAskedAtAll() {
		assertThat(xff.trusts(PROXY)).isTrue();
		assertThat(xff.trusts(STRANGER)).isFalse();
		assertThat(xff.trusts(new InetSocketAddress("::ffff:10.9.9.9", 1))).isTrue();
		assertThat(xff.trusts(new InetSocketAddress("2001:db8::7", 1))).isTrue();
		assertThat(ClientAddressResolver.UNTRUSTING.trusts(PROXY)).isFalse();
	}

	@Test
	void theFirstUntrustedHopFromTheRightIsTheClient() {
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1, 203.0.113.5, 10.0.0.7")).isEqualTo("203.0.113.5");
		assertThat(client(xff, "X-Forwarded-For", "203.0.113.5:4711, [2001:db8::1]:80")).isEqualTo("203.0.113.5");
		assertThat(client(xff, "X-Forwarded-For", "10.0.0.9, 10.0.0.7")).isEqualTo("10.0.0.9");
		assertThat(client(xff, "X-Forwarded-For")).isEqualTo("10.0.0.1");
	}

	@Test
	void aHopThatIsNoAddressStopsTheWalkAtTheLastTrustedOne() {
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1, unknown, 10.0.0.7")).isEqualTo("10.0.0.7");
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1, evil.example")).isEqualTo("10.0.0.1");
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1,")).isEqualTo("10.0.0.1");
	}

	@Test
	void theParseIsBounded() {
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1, " + "10.0.0.7, ".repeat(40) + "10.0.0.8"))
			.isEqualTo("10.0.0.7");
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1" + " ".repeat(ClientAddressResolver.MAX_LENGTH)))
			.isEqualTo("10.0.0.1");
	}

	@Test
	void linesOfTheHeaderAreOneListInOrder() {
		assertThat(client(xff, "X-Forwarded-For", "192.0.2.1", "203.0.113.5", "10.0.0.7")).isEqualTo("203.0.113.5");
	}

	@Test
	void forwardedIsReadOnlyWhenItIsTheConfiguredHeader() {
		assertThat(client(xff, "Forwarded", "for=192.0.2.1")).isEqualTo("10.0.0.1");
		assertThat(client(forwarded, "X-Forwarded-For", "192.0.2.1")).isEqualTo("10.0.0.1");
		assertThat(client(forwarded, "Forwarded", "for=192.0.2.1;proto=https, for=\"[2001:db8::1]:4711\""))
			.isEqualTo("192.0.2.1");
		assertThat(client(forwarded, "Forwarded", "for=\"_hidden\", for=10.0.0.7")).isEqualTo("10.0.0.7");
		assertThat(client(forwarded, "Forwarded", "for=192.0.2.1;for=10.0.0.3")).isEqualTo("10.0.0.1");
		assertThat(client(forwarded, "Forwarded", "by=\"x, for=10.0.0.5\";for=192.0.2.7")).isEqualTo("192.0.2.7");
	}

	@Test
	void theNearestProxysSchemeAndHost() {
		ClientAddressResolver.Forwarding viaXff = xff.resolve(PROXY, Map.of("X-Forwarded-Proto", List.of("http, HTTPS"),
				"X-Forwarded-Host", List.of("Shop.Example.com"))::get);
		assertThat(viaXff.proto()).isEqualTo("https");
		assertThat(viaXff.host()).isEqualTo("shop.example.com");
		ClientAddressResolver.Forwarding viaForwarded = forwarded.resolve(PROXY,
				Map.of("Forwarded", List.of("proto=http;host=evil.example, for=192.0.2.1;proto=https;host=shop.example"))::get);
		assertThat(viaForwarded.proto()).isEqualTo("https");
		assertThat(viaForwarded.host()).isEqualTo("shop.example");
	}

	@Test
	void everyInvalidRangeIsReportedAtOnce() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CidrSet.of("trustedProxies", List.of("10.0.0.0/8", "10.0.0/8", "10.0.0.0/33", "proxy.local")))
			.withMessage("trustedProxies[1]: 10.0.0/8 (expected: " + CidrSet.EXPECTED + "); trustedProxies[2]: 10.0.0.0/33 "
					+ "(expected: " + CidrSet.EXPECTED + "); trustedProxies[3]: proxy.local (expected: " + CidrSet.EXPECTED + ")");
	}

	@Test
	void rangesMatchByPrefix() {
		CidrSet ranges = CidrSet.of("r", List.of("192.0.2.128/25", "2001:db8:ab00::/40", "198.51.100.7"));
		assertThat(ranges.containsLiteral("192.0.2.200")).isTrue();
		assertThat(ranges.containsLiteral("192.0.2.127")).isFalse();
		assertThat(ranges.containsLiteral("2001:db8:abff::1")).isTrue();
		assertThat(ranges.containsLiteral("2001:db8:ac00::1")).isFalse();
		assertThat(ranges.containsLiteral("198.51.100.7")).isTrue();
		assertThat(ranges.containsLiteral("198.51.100.8")).isFalse();
		assertThat(ranges.containsLiteral("::ffff:198.51.100.7")).isTrue();
		assertThat(ranges.containsLiteral("localhost")).isFalse();
	}

	private static String client(ClientAddressResolver resolver, String header, String... values) {
		Map<String, List<String>> headers = values.length == 0 ? Map.of() : Map.of(header, List.of(values));
		return resolver.resolve(PROXY, headers::get).client().getAddress().getHostAddress();
	}

}
