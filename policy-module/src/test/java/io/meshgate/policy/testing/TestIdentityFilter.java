package io.meshgate.policy.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;

/**
 * Test only: the request's identity from its {@value #HEADER} header, as if the edge had verified
 * a client certificate, a token and an API key, for tests of what reads the identity (routing by
 * claims and principals, identity-based hash keys) apart from what verifies it. Registered in this
 * module's test application only ({@code PolicyTestApplication}), at the order where the edge
 * verifies tokens ({@link PolicyOrder#EDGE_TOKENS}), before route lookup. The header is JSON:
 * {@code {"principal": "spiffe://…", "requestPrincipal": "iss/sub", "claims": {…}, "consumer": "…"}},
 * every part optional; it is removed before anything else reads the request.
 */
public final class TestIdentityFilter implements WebFilter, Ordered {

	public static final String HEADER = "x-test-identity";

	private static final JsonMapper JSON = JsonMapper.shared();

	/** The header's value for an identity with these parts; {@code null} parts are left out. */
	public static String header(String principal, String requestPrincipal, Map<String, Object> claims,
			String consumer) {
		Map<String, Object> parts = new LinkedHashMap<>();
		if (principal != null) {
			parts.put("principal", principal);
		}
		if (requestPrincipal != null) {
			parts.put("requestPrincipal", requestPrincipal);
		}
		if (claims != null) {
			parts.put("claims", claims);
		}
		if (consumer != null) {
			parts.put("consumer", consumer);
		}
		return JSON.writeValueAsString(parts);
	}

	public static String claims(Map<String, Object> claims) {
		return header(null, "https://idp.test/" + claims.getOrDefault("sub", "anyone"), claims, null);
	}

	public static String principal(String principal) {
		return header(principal, null, null, null);
	}

	public static String consumer(String consumer) {
		return header(null, null, null, consumer);
	}

	@Override
	@SuppressWarnings("unchecked")
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String given = exchange.getRequest().getHeaders().getFirst(HEADER);
		if (given == null) {
			return chain.filter(exchange);
		}
		Map<String, Object> parts = JSON.readValue(given, Map.class);
		String principal = (String) parts.get("principal");
		Identity.set(exchange,
				new Identity(principal == null ? null : new PeerIdentity(principal, null, null, null, null),
						(String) parts.get("requestPrincipal"), (Map<String, Object>) parts.get("claims"),
						(String) parts.get("consumer")));
		return chain.filter(exchange.mutate().request(request -> request.headers(headers -> headers.remove(HEADER))).build());
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_TOKENS;
	}

}
