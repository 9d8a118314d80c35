package io.meshgate.policy.canary;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.edge.CidrSet;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.rollout.RouteRollout;
import io.meshgate.policy.rollout.Rollouts;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Splits a route's traffic over weighted upstreams, in plain gateway YAML:
 *
 * <pre>
 * uri: lb://orders-v1
 * filters:
 *   - Canary=orders-v1:90 orders-v2:10
 *   # sticky per session cookie, shortcut and full form:
 *   - Canary=orders-v1:90 orders-v2:10, cookie:session
 *   - name: Canary
 *   # testers on the office network choose a backend with a header (off unless set):
 *   - name: Canary
 *     args: {backends: "orders-v1:90,orders-v2:10", overrideHeader: x-canary, overrideFrom: "10.0.0.0/8"}
 * </pre>
 *
 * A backend {@code status:500} is a share the filter answers itself with that status and a fixed
 * error body (Gateway API's answer for a backend reference that cannot be used); a route whose
 * every share is one has the URI {@code no://op}.
 *
 * The route's URI should be {@code lb://} one of the backends; the filter replaces the upstream
 * right after the route's URI became the request URL and before the load balancer picks an
 * endpoint. Spring Cloud Gateway's {@code Weight} predicate draws anew for every request
 * (its issue #3117); with {@code stickyOn} this filter keeps each client on its backend.
 */
public class CanaryGatewayFilterFactory extends PolicyFilterFactory<CanaryGatewayFilterFactory.Config> {

	/** The fixed text of a share answered with a status ({@code status:500}) instead of an upstream. */
	static final String NO_USABLE_BACKEND = "the route's backend cannot be used";

	/** The scheme of a route whose every share is a status answer: it names no upstream. */
	private static final String NO_UPSTREAM_SCHEME = "no";

	/** Right after the route's URI became the request URL, before the load balancer. */
	public static final int ORDER = io.meshgate.policy.PolicyOrder.CANARY;

	private final RandomGenerator random;

	private final Rollouts rollouts;

	/** @param rollouts where a route with {@code rollout} counts its backends' requests */
	public CanaryGatewayFilterFactory(RandomGenerator random, Rollouts rollouts) {
		super(Config.class);
		this.random = random;
		this.rollouts = rollouts;
	}

	/**
	 * Backends are separated by spaces in the shortcut form: its commas separate the arguments
	 * (Spring Cloud Gateway's list shortcut cannot be mixed with named arguments).
	 */
	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("backends", "stickyOn", "overrideHeader");
	}

	@Override
	public GatewayFilter filter(Config config, String route) {
		CanaryPolicy policy = config.canary();
		RouteRollout rollout = policy.rollout() == null ? null : rollouts.of(route);
		return new OrderedGatewayFilter(
				new CanaryFilter(config.backends(), policy, policy.overrideSources(), random, rollout), ORDER);
	}

	/**
	 * The filter's arguments: {@code backends}, and the fields of {@link CanaryPolicy}.
	 *
	 * @param backends {@code upstream:weight} items, separated by commas or spaces; required
	 * @param canary stickiness and override; its fields are arguments of their own ({@code stickyOn}, …)
	 */
	public record Config(WeightedBackends backends, @Name("") @DefaultValue CanaryPolicy canary) {

		public Config {
			if (backends == null) {
				throw new IllegalArgumentException("backends: null (expected: upstream:weight, ...)");
			}
			canary = canary == null ? CanaryPolicy.DEFAULT : canary;
		}

	}

	/** @param rollout the route's rollout, which counts every request's outcome; null without one */
	private record CanaryFilter(WeightedBackends backends, CanaryPolicy policy, CidrSet overrideSources,
			RandomGenerator random, RouteRollout rollout) implements GatewayFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
			if (url == null || !"lb".equals(url.getScheme()) && !NO_UPSTREAM_SCHEME.equals(url.getScheme())) {
				return chain.filter(exchange);
			}
			String backend = choose(exchange);
			exchange.getAttributes().put(ExchangeAttributes.BACKEND, backend);
			Integer status = WeightedBackends.statusOf(backend);
			if (status != null) {
				Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
				return ErrorResponses.write(exchange, HttpStatusCode.valueOf(status), NO_USABLE_BACKEND,
						Map.of("route", route == null ? "" : route.getId()));
			}
			if (!backend.equals(url.getHost())) {
				String query = url.getRawQuery();
				exchange.getAttributes()
					.put(GATEWAY_REQUEST_URL_ATTR,
							URI.create("lb://" + backend + url.getRawPath() + (query == null ? "" : "?" + query)));
			}
			return rollout == null ? chain.filter(exchange) : counted(exchange, chain, backend);
		}

		/**
		 * The route's call to {@code backend}, retries included, counted for the rollout: failed
		 * when it ends in an error, a 5xx, or a gRPC status the upstream's breaker counts as a
		 * failure ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code INTERNAL}, which a gRPC
		 * server answers with HTTP 200); a client that went away counts nothing.
		 */
		private Mono<Void> counted(ServerWebExchange exchange, GatewayFilterChain chain, String backend) {
			long start = System.nanoTime();
			return chain.filter(exchange).doFinally(signal -> {
				if (signal == SignalType.CANCEL) {
					return;
				}
				long nanos = System.nanoTime() - start;
				GrpcCall grpc = GrpcCall.of(exchange);
				if (grpc == null || signal == SignalType.ON_ERROR) {
					HttpStatusCode status = exchange.getResponse().getStatusCode();
					rollout.record(backend, signal == SignalType.ON_ERROR || status != null && status.is5xxServerError(),
							nanos);
					return;
				}
				// a gRPC call's status may come in its trailers, which are written after this chain completes
				grpc.whenSettled(exchange, outcome -> {
					if (outcome != GrpcCall.UNCOUNTED) {
						rollout.record(backend, outcome == 0 || outcome >= 500, nanos);
					}
				});
			});
		}

		private String choose(ServerWebExchange exchange) {
			ServerHttpRequest request = exchange.getRequest();
			String forced = policy.overridable() ? request.getHeaders().getFirst(policy.overrideHeader()) : null;
			if (forced != null && overrideAllowed(exchange) && backends.reachableByOverride(forced.trim(),
					policy.allowZeroWeight())) {
				return forced.trim();
			}
			if (policy.stickyOn() != null) {
				String key = policy.stickyOn().valueIn(exchange);
				if (key != null) {
					return backends.pick(key);
				}
			}
			return backends.pick(random);
		}

		/** Whether the client may choose: from any client, or from one in {@code overrideFrom}. */
		private boolean overrideAllowed(ServerWebExchange exchange) {
			if (overrideSources.isEmpty()) {
				return true;
			}
			InetSocketAddress client = ExchangeAttributes.clientAddress(exchange);
			return client != null && overrideSources.contains(client.getAddress());
		}

		@Override
		public String toString() {
			return "[Canary backends = " + backends + (policy.stickyOn() != null ? ", stickyOn = " + policy.stickyOn() : "")
					+ (policy.overridable() ? ", overrideHeader = " + policy.overrideHeader() : "")
					+ (policy.overrideFrom().isEmpty() ? "" : ", overrideFrom = " + overrideSources)
					+ (policy.allowZeroWeight() ? ", allowZeroWeight = true" : "")
					+ (policy.rollout() != null ? ", rollout = " + policy.rollout().steps() : "") + "]";
		}

	}

}
