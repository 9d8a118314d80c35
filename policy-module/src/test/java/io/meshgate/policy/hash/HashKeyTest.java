package io.meshgate.policy.hash;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The forms of a hash key, and where each finds its value in a request. */
class HashKeyTest {

	private static final Identity CALLER = new Identity(
			PeerIdentity.of(List.of("spiffe://cluster.local/ns/shop/sa/web"), List.of(), "CN=web", null),
			"https://idp.example.com/alice",
			Map.of("sub", "alice", "groups", List.of("a", "b"), "level", 3, "realm", Map.of("tenant", "t1")),
			"shop-frontend");

	@Test
	void identityFormsParseAndPrintAsWritten() {
		for (String form : List.of("claim:sub", "claim:realm.tenant", "consumer", "principal", "request-principal")) {
			assertThat(HashKey.of(form)).hasToString(form);
		}
		assertThat(HashKey.of(" Claim:sub ")).isEqualTo(new HashKey(HashKey.Source.CLAIM, "sub"));
		assertThat(HashKey.of("CONSUMER")).isEqualTo(new HashKey(HashKey.Source.CONSUMER, null));
	}

	@Test
	void aClaimKeyNeedsAClaimName() {
		assertThatIllegalArgumentException().isThrownBy(() -> HashKey.of("claim:"))
			.withMessage("hashOn: claim: (expected: header:<name>, cookie:<name>, client-address, claim:<name>, "
					+ "consumer, principal or request-principal)");
		assertThatIllegalArgumentException().isThrownBy(() -> HashKey.of("consumer:x"))
			.withMessageStartingWith("hashOn: consumer:x (expected: ");
		assertThatIllegalArgumentException().isThrownBy(() -> new HashKey(HashKey.Source.CLAIM, " "))
			.withMessageStartingWith("hashOn: claim: (expected: ");
	}

	@Test
	void identityKeysReadTheVerifiedIdentityOnly() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/")
			.header("sub", "mallory")
			.header("consumer", "mallory")
			.remoteAddress(new InetSocketAddress("192.0.2.1", 1)));

		assertThat(HashKey.of("claim:sub").valueIn(exchange)).as("anonymous").isNull();
		assertThat(HashKey.of("consumer").valueIn(exchange)).isNull();
		assertThat(HashKey.of("principal").valueIn(exchange)).isNull();
		assertThat(HashKey.of("request-principal").valueIn(exchange)).isNull();
		assertThat(HashKey.of("client-address").valueIn(exchange)).isEqualTo("192.0.2.1");

		Identity.set(exchange, CALLER);
		assertThat(HashKey.of("claim:sub").valueIn(exchange)).isEqualTo("alice");
		assertThat(HashKey.of("claim:groups").valueIn(exchange)).isEqualTo("a,b");
		assertThat(HashKey.of("claim:level").valueIn(exchange)).isEqualTo("3");
		assertThat(HashKey.of("claim:realm.tenant").valueIn(exchange)).isEqualTo("t1");
		assertThat(HashKey.of("claim:realm").valueIn(exchange)).as("an object is no key").isNull();
		assertThat(HashKey.of("claim:email").valueIn(exchange)).isNull();
		assertThat(HashKey.of("consumer").valueIn(exchange)).isEqualTo("shop-frontend");
		assertThat(HashKey.of("principal").valueIn(exchange)).isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
		assertThat(HashKey.of("request-principal").valueIn(exchange)).isEqualTo("https://idp.example.com/alice");
		assertThat(HashKey.of("header:sub").valueIn(exchange)).isEqualTo("mallory");
	}

}
