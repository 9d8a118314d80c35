package io.meshgate.policy.upstream;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

/**
 * Watches each call to an endpoint, right after the load balancer chose it: counts it in flight
 * (for {@code LEAST_REQUEST}) until its response headers arrived or it failed or was cancelled,
 * and hands its outcome to the upstream's outlier detection. A {@code LoadBalancerLifecycle} is
 * not used because the gateway does not call it when the client cancels, which would leak counts.
 */
public final class EndpointCallFilter implements GlobalFilter, Ordered {

	private final UpstreamRegistry upstreams;

	public EndpointCallFilter(UpstreamRegistry upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Response<ServiceInstance> chosen = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen == null || !(chosen.getServer() instanceof UpstreamEndpoint endpoint)) {
			return chain.filter(exchange);
		}
		UpstreamRuntime upstream = upstreams.get(endpoint.getServiceId());
		endpoint.requestStarted();
		return chain.filter(exchange).doOnError(error -> {
			if (upstream != null && (error instanceof IOException || error instanceof TimeoutException
					|| error instanceof org.springframework.cloud.gateway.support.TimeoutException)) {
				upstream.recordAnswer(endpoint, 0);
			}
		}).doFinally(signal -> {
			endpoint.requestFinished();
			if (signal == SignalType.ON_COMPLETE && upstream != null) {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				upstream.recordAnswer(endpoint, status == null ? 0 : status.value());
			}
		});
	}

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

}
