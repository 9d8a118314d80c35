package io.meshgate.policy.rewrite;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;

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
 */
public class ResponseHeaderModifierGatewayFilterFactory extends AbstractGatewayFilterFactory<HeaderModifierConfig> {

	public ResponseHeaderModifierGatewayFilterFactory() {
		super(HeaderModifierConfig.class);
	}

	@Override
	public GatewayFilter apply(HeaderModifierConfig config) {
		HeaderModifier modifier = config.toModifier();
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
