package io.meshgate.policy.security.peer;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.security.PeerIdentity;
import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envoy's {@code x-forwarded-client-cert} element: field order, {@code Subject} always quoted,
 * other values quoted only when they hold a separator, and nothing a SAN holds can add a field,
 * an element or a header line.
 */
class XfccHeaderTest {

	@Test
	void fieldsInEnvoysOrderWithOneFieldPerSan() {
		PeerIdentity peer = new PeerIdentity(null, List.of("spiffe://cluster.local/ns/shop/sa/web", "https://web.example"),
				List.of("web.example", "web.internal"), "CN=web,O=Shop", "ab12");

		assertThat(XfccHeader.of(List.of("spiffe://cluster.local/ns/edge/sa/gateway"), peer))
			.isEqualTo("By=spiffe://cluster.local/ns/edge/sa/gateway;Hash=ab12;Subject=\"CN=web,O=Shop\""
					+ ";URI=spiffe://cluster.local/ns/shop/sa/web;URI=https://web.example;DNS=web.example;DNS=web.internal");
		assertThat(peer.principal()).isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
	}

	@Test
	void separatorsAreQuotedAndQuotesEscapedSoASanCannotForgeAField() {
		PeerIdentity peer = new PeerIdentity(null, List.of("https://x.example/a;URI=spiffe://admin,By=x"), List.of(),
				"CN=say \"hi\"\\,O=x", "ab12");

		assertThat(XfccHeader.of(List.of(), peer)).isEqualTo(
				"Hash=ab12;Subject=\"CN=say \\\"hi\\\"\\\\,O=x\";URI=\"https://x.example/a;URI=spiffe://admin,By=x\"");
	}

	@Test
	void controlCharactersNeverReachTheHeader() {
		PeerIdentity peer = new PeerIdentity(null, List.of("spiffe://x\r\nx-admin: 1"), List.of(), "CN=a\nb", "ab12");

		assertThat(XfccHeader.of(List.of(), peer)).isEqualTo("Hash=ab12;Subject=\"CN=a?b\";URI=spiffe://x??x-admin: 1");
	}

	@Test
	void aCertificatesIdentityHasItsSansSubjectAndFingerprint() {
		TestPki pki = TestPki.create("Peer CA");
		TestPki.Issued issued = pki.issue("orders", List.of("dns:orders.example", "uri:spiffe://example.org/orders", "ip:10.0.0.1"));

		PeerIdentity peer = PeerCertificates.identity(issued.certificate());

		assertThat(peer.principal()).isEqualTo("spiffe://example.org/orders");
		assertThat(peer.uriSans()).containsExactly("spiffe://example.org/orders");
		assertThat(peer.dnsSans()).containsExactly("orders.example");
		assertThat(peer.subject()).isEqualTo("CN=orders");
		assertThat(peer.sha256()).hasSize(64).matches("[0-9a-f]+");
	}

	@Test
	void theHostOfAHostHeaderIsLowerCaseWithoutPortOrTrailingDot() {
		assertThat(PeerIdentityFilter.host("Partners.Example.com:8443")).isEqualTo("partners.example.com");
		assertThat(PeerIdentityFilter.host("partners.example.com.")).isEqualTo("partners.example.com");
		assertThat(PeerIdentityFilter.host("[::1]:8443")).isEqualTo("[::1]");
		assertThat(PeerIdentityFilter.host("")).isNull();
	}

}
