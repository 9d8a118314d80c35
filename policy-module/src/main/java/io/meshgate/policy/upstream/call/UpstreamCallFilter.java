package io.meshgate.policy.upstream.call;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.gateway.config.GatewayLoadBalancerProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.breaker.UpstreamBreaker;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_SCHEME_PREFIX_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

/**
 * One try's call to a Meshgate upstream ({@code lb://name}), with one lookup of the upstream:
 * <ol>
 * <li><b>guard</b>: the upstream's breaker and concurrency cap, when it has a
 * {@code circuitBreaker}; an open breaker or a full cap answers at once, before an endpoint is
 * chosen, and a 5xx answer counts as a failure;</li>
 * <li><b>pick</b>: the endpoint, by the upstream's load-balancing policy over the endpoints that
 * are neither unhealthy nor ejected; a retry picks apart from the first tries' schedule and away
 * from the endpoints it tried ({@link ExchangeAttributes#TRIED_ENDPOINTS});</li>
 * <li><b>account</b>: the call counts in flight at its endpoint (for {@code LEAST_REQUEST}) until
 * its response headers arrive, it fails or it is cancelled, and its outcome goes to outlier
 * detection (a gRPC call's when its status arrives, in the headers or the trailers) and to the
 * endpoint's counts of calls and failed calls.</li>
 * </ol>
 * It leaves an {@link UpstreamCall} behind for the routing filter, and the attributes Spring
 * Cloud Gateway's load-balancer filter leaves (the endpoint's URL, the load balancer's response,
 * the original URL): that filter, after this one, finds the URL resolved and lets it pass. The
 * path through Spring Cloud LoadBalancer (a client context looked up per request, request data
 * copied, lifecycle processors resolved) cost about as much CPU per request as the rest of the
 * gateway together. Service ids that are not Meshgate upstreams still go through it.
 * <p>
 * A {@code LoadBalancerLifecycle} does not do the accounting because the gateway does not call it
 * when the client cancels, which would leak in-flight counts.
 */
public final class UpstreamCallFilter implements GlobalFilter, Ordered {

	private final UpstreamRegistry registry;

	private final GatewayLoadBalancerProperties properties;

	public UpstreamCallFilter(UpstreamRegistry registry, GatewayLoadBalancerProperties properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return PolicyOrder.UPSTREAM_CALL;
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
			// as the load-balancer filter answers it, so that errors read the same on either path;
			// not a failure of the breaker's: no endpoint was called
			return Mono.error(NotFoundException.create(properties.isUse404(), "Unable to find instance for " + url.getHost()));
		}
		UpstreamBreaker breaker = upstream.breaker();
		if (breaker == null) {
			return call(exchange, chain, upstream, endpoints);
		}
		// deferred: nothing is picked or counted unless the guard lets the call through
		return breaker.guard(Mono.defer(() -> call(exchange, chain, upstream, endpoints)), exchange);
	}

	private static Mono<Void> call(ServerWebExchange exchange, GatewayFilterChain chain, UpstreamRuntime upstream,
			List<UpstreamEndpoint> endpoints) {
		RequestData request = upstream.picker().readsRequest()
				? new RequestData(exchange.getRequest(), exchange.getAttributes()) : null;
		UpstreamEndpoint endpoint = upstream.choose(endpoints, request,
				exchange.getAttribute(ExchangeAttributes.TRIED_ENDPOINTS));
		UpstreamCall call = new UpstreamCall(upstream, endpoint);
		exchange.getAttributes().put(ExchangeAttributes.UPSTREAM_CALL, call);
		exchange.getAttributes().put(GATEWAY_LOADBALANCER_RESPONSE_ATTR, call);
		exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, endpointUrl(endpoint, exchange.getRequest().getURI()));
		endpoint.requestStarted();
		Mono<Void> routed = chain.filter(exchange);
		if (upstream.outliers() != null) {
			routed = routed.doOnError(error -> {
				if (error instanceof IOException || error instanceof TimeoutException
						|| error instanceof org.springframework.cloud.gateway.support.TimeoutException) {
					upstream.recordAnswer(endpoint, 0);
				}
			});
		}
		return routed.doFinally(signal -> {
			HttpStatusCode status = signal == SignalType.ON_COMPLETE ? exchange.getResponse().getStatusCode() : null;
			// a client that went away is no failure of the endpoint's
			endpoint.requestFinished(signal != SignalType.CANCEL && (status == null || status.is5xxServerError()));
			if (signal == SignalType.ON_COMPLETE) {
				GrpcCall grpc = GrpcCall.of(exchange);
				if (grpc != null && upstream.outliers() != null) {
					// a gRPC status may come in the trailers, after the body
					grpc.whenSettled(exchange, outcome -> {
						if (outcome != GrpcCall.UNCOUNTED) {
							upstream.recordAnswer(endpoint, outcome);
						}
					});
				}
				else if (grpc == null) {
					upstream.recordAnswer(endpoint, status == null ? 0 : status.value());
				}
			}
		});
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
