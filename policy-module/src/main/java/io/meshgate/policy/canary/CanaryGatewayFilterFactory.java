package io.meshgate.policy.canary;

import java.net.URI;
import java.util.List;
import java.util.random.RandomGenerator;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Splits a route's traffic over weighted upstreams:
 * {@code Canary=orders-v1:90,orders-v2:10}. The route's own URI should be {@code lb://} one of
 * them; this filter replaces the upstream before the load balancer picks an endpoint, so the
 * split applies to every route a user writes in plain gateway YAML too.
 */
public class CanaryGatewayFilterFactory extends AbstractGatewayFilterFactory<CanaryGatewayFilterFactory.Config> {

	/** Exchange attribute holding the upstream this request was sent to. */
	public static final String BACKEND_ATTR = CanaryGatewayFilterFactory.class.getName() + ".backend";

	/** Right after the route's URI became the request URL, before the load balancer. */
	public static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

	private final RandomGenerator random;

	public CanaryGatewayFilterFactory(RandomGenerator random) {
		super(Config.class);
		this.random = random;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("backends");
	}

	@Override
	public ShortcutType shortcutType() {
		return ShortcutType.GATHER_LIST;
	}

	@Override
	public GatewayFilter apply(Config config) {
		WeightedBackends backends = WeightedBackends.parse(config.getBackends());
		return new OrderedGatewayFilter(new CanaryFilter(backends, random), ORDER);
	}

	/** Spring's bindable carrier; converted once into {@link WeightedBackends}. */
	public static class Config {

		private List<String> backends;

		public List<String> getBackends() {
			return backends;
		}

		public void setBackends(List<String> backends) {
			this.backends = backends;
		}

	}

	private record CanaryFilter(WeightedBackends backends, RandomGenerator random) implements GatewayFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
			if (url == null || !"lb".equals(url.getScheme())) {
				return chain.filter(exchange);
			}
			String backend = backends.pick(random);
			exchange.getAttributes().put(BACKEND_ATTR, backend);
			if (!backend.equals(url.getHost())) {
				String query = url.getRawQuery();
				exchange.getAttributes()
					.put(GATEWAY_REQUEST_URL_ATTR,
							URI.create("lb://" + backend + url.getRawPath() + (query == null ? "" : "?" + query)));
			}
			return chain.filter(exchange);
		}

		@Override
		public String toString() {
			return "[Canary backends = " + backends + "]";
		}

	}

}
