package io.meshgate.policy.lb;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.gateway.config.GatewayLoadBalancerProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.upstream.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_SCHEME_PREFIX_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

/**
 * Picks the endpoint of a Meshgate upstream for {@code lb://name} just before Spring Cloud
 * Gateway's load-balancer filter would, with the same policy {@link MeshLoadBalancer} applies and
 * leaving the same exchange attributes behind; that filter then finds the URL resolved and lets
 * it pass. The path through Spring Cloud LoadBalancer (a client context looked up per request,
 * request data copied, lifecycle processors resolved) cost about as much CPU per request as the
 * rest of the gateway together. Service ids that are not Meshgate upstreams still go through
 * Spring Cloud LoadBalancer.
 */
public final class UpstreamPickFilter implements GlobalFilter, Ordered {

	/** Just ahead of {@link ReactiveLoadBalancerClientFilter}. */
	public static final int ORDER = ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;

	private final UpstreamRegistry registry;

	private final GatewayLoadBalancerProperties properties;

	public UpstreamPickFilter(UpstreamRegistry registry, GatewayLoadBalancerProperties properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !"lb".equals(url.getScheme()) || exchange.getAttribute(GATEWAY_SCHEME_PREFIX_ATTR) != null) {
			return chain.filter(exchange);
		}
		UpstreamRuntime upstream = registry.get(url.getHost());
		if (upstream == null) {
			return chain.filter(exchange);
		}
		addOriginalRequestUrl(exchange, url);
		List<UpstreamEndpoint> endpoints = upstream.endpoints();
		if (endpoints.isEmpty()) {
			// as the load-balancer filter answers it, so that errors read the same on either path
			throw NotFoundException.create(properties.isUse404(), "Unable to find instance for " + url.getHost());
		}
		RequestData request = upstream.picker().readsRequest()
				? new RequestData(exchange.getRequest(), exchange.getAttributes()) : null;
		UpstreamEndpoint chosen = MeshLoadBalancer.pick(upstream, endpoints, request,
				exchange.getAttribute(ExchangeAttributes.TRIED_ENDPOINTS));
		exchange.getAttributes().put(GATEWAY_LOADBALANCER_RESPONSE_ATTR, new DefaultResponse(chosen));
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, endpointUrl(chosen, exchange.getRequest().getURI()));
		return chain.filter(exchange);
	}

	/**
	 * The request's URI with the endpoint's scheme, host and port, as the load-balancer filter
	 * builds it (path and query as filters left them, still encoded), in one parse instead of a
	 * {@code UriComponentsBuilder} round trip.
	 */
	static URI endpointUrl(UpstreamEndpoint endpoint, URI request) {
		StringBuilder url = new StringBuilder(64).append(endpoint.isSecure() ? "https" : "http")
			.append("://")
			.append(endpoint.getHost())
			.append(':')
			.append(endpoint.getPort());
		if (request.getRawPath() != null) {
			url.append(request.getRawPath());
		}
		if (request.getRawQuery() != null) {
			url.append('?').append(request.getRawQuery());
		}
		return URI.create(url.toString());
	}

}
