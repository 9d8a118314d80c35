package io.meshgate.policy.security.jwt;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.edge.EdgeFilter;
import io.meshgate.policy.security.CredentialHash;
import io.meshgate.policy.security.Identity;

/**
 * Verifies the token of a configured JWT provider before route lookup, so that routes can match
 * on its claims, and records the verdict in the request's identity ({@link Identity#token()}):
 * verified (principal {@code iss/sub}, claims) or why not. It refuses nothing: each route's
 * {@code authentication} decides what it requires. A token of an issuer no provider has is left
 * alone. Headers a provider's {@code claimsToHeaders} sets are removed from every request first
 * and set only from a verified token's claims.
 *
 * <p>Cost: without providers, nothing; without a token, a lookup per token place (the
 * {@code Authorization} header by default) and per claim header; with a cached token, one
 * SHA-256 of it and a cache lookup. Keys are never fetched on the event loop's time: a token whose
 * {@code kid} is unknown waits, without blocking, for the fetch.
 */
public final class TokenEdgeFilter implements EdgeFilter {

	private final JwtProviders providers;

	public TokenEdgeFilter(JwtProviders providers) {
		this.providers = providers;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		JwtProviders.Snapshot snapshot = providers.snapshot();
		if (snapshot.isEmpty()) {
			return chain.filter(exchange);
		}
		JwtProviders.Presented presented = JwtProviders.find(snapshot, exchange.getRequest());
		if (presented == null) {
			return chain.filter(withoutClaimHeaders(exchange, snapshot));
		}
		CredentialHash hash = CredentialHash.of(presented.token());
		VerifiedToken cached = providers.cached(hash);
		if (cached != null) {
			return chain.filter(record(exchange, snapshot, cached));
		}
		return providers.verify(snapshot, presented, hash)
			.flatMap(outcome -> chain.filter(record(exchange, snapshot, outcome)));
	}

	private static ServerWebExchange record(ServerWebExchange exchange, JwtProviders.Snapshot snapshot,
			VerifiedToken token) {
		if (token.verdict() == null) {
			return withoutClaimHeaders(exchange, snapshot);
		}
		Identity.set(exchange, token.applyTo(Identity.of(exchange)));
		String[] headers = token.headers();
		if (headers.length == 0) {
			return withoutClaimHeaders(exchange, snapshot);
		}
		return exchange.mutate().request(request -> request.headers(h -> {
			removeClaimHeaders(h, snapshot);
			for (int i = 0; i < headers.length; i += 2) {
				h.set(headers[i], headers[i + 1]);
			}
		})).build();
	}

	/** The exchange without client-sent headers of the names claims set; itself when it has none. */
	private static ServerWebExchange withoutClaimHeaders(ServerWebExchange exchange, JwtProviders.Snapshot snapshot) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		for (String name : snapshot.claimHeaders()) {
			if (headers.containsHeader(name)) {
				return exchange.mutate().request(request -> request.headers(h -> removeClaimHeaders(h, snapshot))).build();
			}
		}
		return exchange;
	}

	private static void removeClaimHeaders(HttpHeaders headers, JwtProviders.Snapshot snapshot) {
		for (String name : snapshot.claimHeaders()) {
			headers.remove(name);
		}
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_TOKENS;
	}

	/** A constant name: the web filter chain asks for it on every request. */
	@Override
	public String toString() {
		return "TokenEdgeFilter";
	}

}
