package io.meshgate.policy.lb;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * Spring Cloud LoadBalancer hands a policy the request's headers, cookies and exchange
 * attributes, but not the client's address. This filter puts it in the attributes so that
 * {@code hashOn: client-address} can read it. Behind another proxy, set
 * {@code server.forward-headers-strategy=framework} so that the address is the original client's.
 */
public final class ClientAddressFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		InetSocketAddress address = exchange.getRequest().getRemoteAddress();
		if (address != null) {
			exchange.getAttributes().put(ExchangeAttributes.CLIENT_ADDRESS, address);
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
