package io.meshgate.policy.upstream.call;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * One try's call to a Meshgate upstream as {@link UpstreamCallFilter} set it up: the upstream's
 * runtime, looked up once for the try, and the endpoint chosen. Kept under
 * {@link ExchangeAttributes#UPSTREAM_CALL} for the routing filter, and under Spring Cloud
 * Gateway's {@code GATEWAY_LOADBALANCER_RESPONSE_ATTR} as the load balancer's response, which it
 * is: one object for both.
 */
public record UpstreamCall(UpstreamRuntime upstream, UpstreamEndpoint endpoint) implements Response<ServiceInstance> {

	/** The current try's call, or {@code null} when the request does not go to a Meshgate upstream. */
	public static UpstreamCall of(ServerWebExchange exchange) {
		return exchange.getAttribute(ExchangeAttributes.UPSTREAM_CALL) instanceof UpstreamCall call ? call : null;
	}

	@Override
	public boolean hasServer() {
		return true;
	}

	@Override
	public ServiceInstance getServer() {
		return endpoint;
	}

}
