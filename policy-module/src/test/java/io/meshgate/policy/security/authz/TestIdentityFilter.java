package io.meshgate.policy.security.authz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

/**
 * Test only: stands in for the edge filters that verify client certificates, tokens and API keys
 * (built apart), making the request's identity from {@code x-test-*} headers:
 * {@code x-test-peer} (a URI SAN), {@code x-test-request-principal}, {@code x-test-consumer},
 * and {@code x-test-claim-<name>} (a value; several values, comma-separated, make a list claim).
 */
public final class TestIdentityFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		var headers = exchange.getRequest().getHeaders();
		Identity identity = Identity.ANONYMOUS;
		String peer = headers.getFirst("x-test-peer");
		if (peer != null) {
			identity = identity.withPeer(PeerIdentity.of(List.of(peer), List.of(), "CN=test", "00"));
		}
		Map<String, Object> claims = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			if (name.toLowerCase(Locale.ROOT).startsWith("x-test-claim-")) {
				String value = values.get(0);
				claims.put(name.substring("x-test-claim-".length()).toLowerCase(Locale.ROOT),
						value.contains(",") ? List.of(value.split(",")) : value);
			}
		});
		String principal = headers.getFirst("x-test-request-principal");
		if (principal != null || !claims.isEmpty()) {
			identity = identity.withToken(principal, claims);
		}
		String consumer = headers.getFirst("x-test-consumer");
		if (consumer != null) {
			identity = identity.withConsumer(consumer);
		}
		if (!identity.equals(Identity.ANONYMOUS)) {
			Identity.set(exchange, identity);
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_TOKENS;
	}

}
