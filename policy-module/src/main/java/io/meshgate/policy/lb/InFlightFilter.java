package io.meshgate.policy.lb;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.upstream.UpstreamEndpoint;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

/**
 * Counts requests in flight per endpoint, for {@code LEAST_REQUEST}. Runs right after the load
 * balancer chose the endpoint and counts until the upstream's response headers arrived or the
 * call failed or was cancelled. A {@code LoadBalancerLifecycle} is not used because the gateway
 * does not call it when the client cancels, which would leak counts.
 */
public final class InFlightFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Response<ServiceInstance> chosen = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen == null || !(chosen.getServer() instanceof UpstreamEndpoint endpoint)) {
			return chain.filter(exchange);
		}
		endpoint.requestStarted();
		return chain.filter(exchange).doFinally(signal -> endpoint.requestFinished());
	}

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

}
