package io.meshgate.policy.rewrite;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * The header changes of one backend of a route (Gateway API's {@code RequestHeaderModifier} and
 * {@code ResponseHeaderModifier} on a backendRef): applied to the requests the split sends to
 * that backend, and to their responses, after the route's own header changes.
 *
 * <pre>
 * filters:
 *   - Canary=orders-v1:90 orders-v2:10
 *   - name: BackendHeaderModifier
 *     args: {backend: orders-v2, "requestHeaders.set[X-Canary]": "true"}
 * </pre>
 *
 * A route compiles one such filter per backend that changes headers, none otherwise: a route
 * whose backends change no headers pays nothing.
 */
public class BackendHeaderModifierGatewayFilterFactory
		extends PolicyFilterFactory<BackendHeaderModifierGatewayFilterFactory.BackendHeaders> {

	public BackendHeaderModifierGatewayFilterFactory() {
		super(BackendHeaders.class);
	}

	@Override
	public GatewayFilter filter(BackendHeaders headers, String route) {
		return new OrderedGatewayFilter(new BackendHeadersFilter(headers), PolicyOrder.BACKEND_HEADERS);
	}

	/**
	 * @param backend the backend, as the route's {@code Canary} filter names it, whose requests get
	 * the changes; default none: every request of the route (a route without a split)
	 * @param requestHeaders changes to the request the backend receives; default none
	 * @param responseHeaders changes to the response the client receives; default none
	 */
	public record BackendHeaders(String backend, HeaderModifier requestHeaders, HeaderModifier responseHeaders) {

		public BackendHeaders {
			requestHeaders = requestHeaders == null || requestHeaders.isEmpty() ? null : requestHeaders;
			responseHeaders = responseHeaders == null || responseHeaders.isEmpty() ? null : responseHeaders;
			if (requestHeaders == null && responseHeaders == null) {
				throw new IllegalArgumentException(
						"requestHeaders: null (expected: requestHeaders or responseHeaders with a change)");
			}
			if (backend != null && backend.isBlank()) {
				throw new IllegalArgumentException("backend: " + backend + " (expected: a backend's name, or none)");
			}
		}

	}

	private record BackendHeadersFilter(BackendHeaders headers) implements GatewayFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			if (headers.backend() != null && !headers.backend().equals(exchange.getAttribute(ExchangeAttributes.BACKEND))) {
				return chain.filter(exchange);
			}
			HeaderModifier response = headers.responseHeaders();
			if (response != null) {
				ServerHttpResponse served = exchange.getResponse();
				served.beforeCommit(() -> Mono.fromRunnable(() -> response.applyTo(served.getHeaders())));
			}
			HeaderModifier request = headers.requestHeaders();
			return chain.filter(request == null ? exchange
					: exchange.mutate().request(changed -> changed.headers(request::applyTo)).build());
		}

		@Override
		public String toString() {
			return "[BackendHeaderModifier " + (headers.backend() == null ? "" : "backend = " + headers.backend() + ", ")
					+ "requestHeaders = " + headers.requestHeaders() + ", responseHeaders = " + headers.responseHeaders()
					+ "]";
		}

	}

}
