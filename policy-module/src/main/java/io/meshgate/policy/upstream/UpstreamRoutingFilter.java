package io.meshgate.policy.upstream;

import java.util.List;

import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;

/**
 * Spring Cloud Gateway's routing filter with one change: a call to an upstream with its own TLS
 * goes out through that upstream's client, not the gateway's single global one.
 */
public final class UpstreamRoutingFilter extends NettyRoutingFilter {

	private final UpstreamRegistry upstreams;

	public UpstreamRoutingFilter(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
			HttpClientProperties properties, UpstreamRegistry upstreams) {
		super(httpClient, headersFilters, properties);
		this.upstreams = upstreams;
	}

	@Override
	protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
		Response<ServiceInstance> chosen = exchange.getAttribute(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		if (chosen != null && chosen.getServer() instanceof UpstreamEndpoint endpoint) {
			UpstreamRuntime upstream = upstreams.get(endpoint.getServiceId());
			HttpClient own = upstream == null ? null : upstream.httpClient();
			if (own != null) {
				return own;
			}
		}
		return super.getHttpClient(route, exchange);
	}

}
