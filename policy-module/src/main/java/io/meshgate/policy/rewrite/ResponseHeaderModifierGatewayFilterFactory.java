package io.meshgate.policy.rewrite;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * Sets, adds and removes headers of the response the client receives, as Gateway API's
 * {@code ResponseHeaderModifier}: applied just before the response is committed, so it covers
 * the upstream's answer as well as the gateway's own (a redirect, a 504). Values are literal.
 *
 * <pre>
 * filters:
 *   - name: ResponseHeaderModifier
 *     args: {"set[Cache-Control]": no-store, remove: X-Powered-By}
 * </pre>
 *
 * The arguments are the fields of {@link HeaderModifier}; header names go in brackets, which keep
 * them as written.
 */
public class ResponseHeaderModifierGatewayFilterFactory extends PolicyFilterFactory<HeaderModifier> {

	public ResponseHeaderModifierGatewayFilterFactory() {
		super(HeaderModifier.class);
	}

	@Override
	public GatewayFilter filter(HeaderModifier modifier, String route) {
		return new OrderedGatewayFilter(new GatewayFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				ServerHttpResponse response = exchange.getResponse();
				response.beforeCommit(() -> Mono.fromRunnable(() -> modifier.applyTo(response.getHeaders())));
				return chain.filter(exchange);
			}

			@Override
			public String toString() {
				return "[ResponseHeaderModifier " + modifier + "]";
			}
		}, PolicyOrder.RESPONSE_HEADERS);
	}

}
