package io.meshgate.policy.timeout;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * The whole time a route may take to produce response headers, retries and backoff included:
 * {@code RouteTimeout=5s}. When it expires the upstream call is cancelled and the client gets
 * 504 with a JSON body. (The per-try limit is the retry policy's {@code perTryTimeout}.)
 */
public class RouteTimeoutGatewayFilterFactory extends PolicyFilterFactory<RouteTimeoutGatewayFilterFactory.Config> {

	public RouteTimeoutGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("timeout");
	}

	@Override
	public GatewayFilter filter(Config config, String route) {
		return new OrderedGatewayFilter(new RouteTimeoutFilter(config.timeout()), PolicyOrder.ROUTE_TIMEOUT);
	}

	/** A route's timeout; others read {@link #timeout()} (a gRPC call's deadline is capped by it). */
	public static final class RouteTimeoutFilter implements GatewayFilter {

		private final Duration timeout;

		RouteTimeoutFilter(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration timeout() {
			return timeout;
		}

		/** The timeout of {@code route}, or {@code null} when it has none. */
		public static Duration of(org.springframework.cloud.gateway.route.Route route) {
			for (GatewayFilter filter : route.getFilters()) {
				GatewayFilter inner = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : filter;
				if (inner instanceof RouteTimeoutFilter routeTimeout) {
					return routeTimeout.timeout;
				}
			}
			return null;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			return Timeouts.within(chain.filter(exchange), timeout, exchange,
					() -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
							"route timeout of " + timeout.toMillis() + " ms exceeded"));
		}

		@Override
		public String toString() {
			return "[RouteTimeout " + timeout + "]";
		}

	}

	/** Throws {@code timeout: value (expected: …)} unless {@code timeout} is positive; a route's {@code timeout}. */
	public static Duration validate(Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0, as in 5s or 500ms)");
		}
		return timeout;
	}

	/** @param timeout the route's whole time to response headers; required, > 0 */
	public record Config(Duration timeout) {

		public Config {
			validate(timeout);
		}

	}

}
