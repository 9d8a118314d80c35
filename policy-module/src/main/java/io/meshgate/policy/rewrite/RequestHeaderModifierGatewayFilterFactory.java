package io.meshgate.policy.rewrite;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * Sets, adds and removes headers of the request the upstream (and any mirror) receives, as
 * Gateway API's {@code RequestHeaderModifier}. Values are taken literally: unlike Spring Cloud
 * Gateway's {@code SetRequestHeader}, {@code {name}} is not expanded.
 *
 * <pre>
 * filters:
 *   - name: RequestHeaderModifier
 *     args: {"set[X-Env]": prod, "add[X-Via]": meshgate, remove: X-Debug}
 * </pre>
 *
 * The arguments are the fields of {@link HeaderModifier}; header names go in brackets, which keep
 * them as written.
 */
public class RequestHeaderModifierGatewayFilterFactory extends PolicyFilterFactory<HeaderModifier> {

	public RequestHeaderModifierGatewayFilterFactory() {
		super(HeaderModifier.class);
	}

	@Override
	public GatewayFilter filter(HeaderModifier modifier, String route) {
		return new OrderedGatewayFilter(new GatewayFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				return chain.filter(exchange.mutate().request(request -> request.headers(modifier::applyTo)).build());
			}

			@Override
			public String toString() {
				return "[RequestHeaderModifier " + modifier + "]";
			}
		}, PolicyOrder.REQUEST_HEADERS);
	}

}
