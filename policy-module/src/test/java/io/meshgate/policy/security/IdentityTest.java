package io.meshgate.policy.security;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdentityTest {

	@Test
	void peerPrincipalIsTheSpiffeIdBeforeOtherSans() {
		PeerIdentity peer = PeerIdentity.of(List.of("https://example.com/x", "spiffe://cluster.local/ns/a/sa/b"),
				List.of("client.example.com"), "CN=client", "ab");
		assertThat(peer.principal()).isEqualTo("spiffe://cluster.local/ns/a/sa/b");
	}

	@Test
	void peerPrincipalFallsBackFromUriToDnsToSubject() {
		assertThat(PeerIdentity.of(List.of("urn:x"), List.of("d.example"), "CN=s", null).principal()).isEqualTo("urn:x");
		assertThat(PeerIdentity.of(List.of(), List.of("d.example"), "CN=s", null).principal()).isEqualTo("d.example");
		assertThat(PeerIdentity.of(null, null, "CN=s", null).principal()).isEqualTo("CN=s");
		assertThatIllegalArgumentException().isThrownBy(() -> PeerIdentity.of(null, null, null, null))
			.withMessage("principal: none (expected: a URI or DNS SAN, or a subject)");
	}

	@Test
	void anExchangeIsAnonymousUntilAPartIsVerified() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		assertThat(Identity.of(exchange)).isSameAs(Identity.ANONYMOUS);
		assertThat(Identity.ANONYMOUS.anonymous()).isTrue();

		Identity.set(exchange, Identity.of(exchange).withToken("https://idp/alice", Map.of("tier", "beta")));
		Identity.set(exchange, Identity.of(exchange).withConsumer("shop"));
		Identity identity = Identity.of(exchange);
		assertThat(identity.requestPrincipal()).isEqualTo("https://idp/alice");
		assertThat(identity.claims()).containsEntry("tier", "beta");
		assertThat(identity.consumer()).isEqualTo("shop");
		assertThat(identity.anonymous()).isFalse();
	}

	@Test
	void claimValuesAreNotPrinted() {
		Identity identity = Identity.ANONYMOUS.withToken("iss/sub", Map.of("email", "alice@example.com"));
		assertThat(identity.toString()).contains("email").doesNotContain("alice@example.com");
	}

}
