package io.meshgate.policy.observe;

import java.net.URI;
import java.util.Map;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.route.Route;

import io.meshgate.policy.ExchangeAttributes;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Where the gateway sent a request, read from the exchange attributes its filters left: the
 * route, the backend the route chose, the upstream and endpoint that served it, and the retries
 * taken. A name is {@code null} when the request did not get that far.
 */
record RoutedTo(String route, String backend, String upstream, String endpoint, int retries) {

	static RoutedTo of(Map<String, Object> attributes) {
		Route route = (Route) attributes.get(GATEWAY_ROUTE_ATTR);
		Response<?> chosen = (Response<?>) attributes.get(GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		ServiceInstance endpoint = chosen != null && chosen.hasServer() && chosen.getServer() instanceof ServiceInstance s
				? s : null;
		URI url = (URI) attributes.get(GATEWAY_REQUEST_URL_ATTR);
		String upstream = endpoint != null ? endpoint.getServiceId() : url != null ? url.getHost() : null;
		String backend = (String) attributes.get(ExchangeAttributes.BACKEND);
		if (backend == null && route != null && "lb".equals(route.getUri().getScheme())) {
			backend = route.getUri().getHost();
		}
		Object retries = attributes.get(ExchangeAttributes.RETRIES);
		return new RoutedTo(route == null ? null : route.getId(), backend, upstream,
				endpoint == null ? null : endpoint.getInstanceId(), retries instanceof Integer n ? n : 0);
	}

}
