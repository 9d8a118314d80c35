package io.meshgate.policy.edge;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * A step of the edge, run on every request before route lookup, in {@code PolicyOrder}'s
 * {@code EDGE_*} order: client address and headers, path normalization, peer identity, tokens.
 * The steps are beans of this type, not {@code WebFilter}s: {@link EdgeWebFilter} runs them all
 * as one web filter, because WebFlux wraps each web filter of a request in a deferred, named
 * checkpoint (about 0.15 KB allocated per filter and request), and the edge has four.
 */
public interface EdgeFilter extends Ordered {

	/** As {@code WebFilter.filter}: pass the (possibly changed) exchange on, or answer. */
	Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain);

}
