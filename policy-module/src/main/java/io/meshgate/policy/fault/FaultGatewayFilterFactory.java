package io.meshgate.policy.fault;

import java.time.Duration;
import java.util.Map;
import java.util.random.RandomGenerator;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.error.ErrorResponses;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Injects delays and aborts into a share of a route's requests:
 *
 * <pre>
 * filters:
 *   - name: Fault
 *     args: {delay.percentage: 10, delay.fixedDelay: 2s, abort.percentage: 5, abort.httpStatus: 503}
 * </pre>
 *
 * Aborted requests answer JSON with header {@code x-meshgate-fault: abort}, so a tester can tell
 * an injected failure from a real one. The arguments are the fields of {@link FaultPolicy}.
 */
public class FaultGatewayFilterFactory extends PolicyFilterFactory<FaultPolicy> {

	public static final String FAULT_HEADER = "x-meshgate-fault";

	private final RandomGenerator random;

	public FaultGatewayFilterFactory(RandomGenerator random) {
		super(FaultPolicy.class);
		this.random = random;
	}

	@Override
	public GatewayFilter filter(FaultPolicy policy, String route) {
		return new OrderedGatewayFilter(new FaultFilter(policy, random), PolicyOrder.FAULT);
	}

	private record FaultFilter(FaultPolicy policy, RandomGenerator random) implements GatewayFilter {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			boolean delay = hit(policy.delay().percentage());
			boolean abort = hit(policy.abort().percentage());
			Mono<Void> next = abort ? Mono.defer(() -> abort(exchange)) : chain.filter(exchange);
			if (!delay) {
				return next;
			}
			Duration wait = policy.delay().fixedDelay();
			return Mono.delay(wait).then(next);
		}

		private boolean hit(double percentage) {
			return percentage > 0 && (percentage >= 100 || random.nextDouble() * 100 < percentage);
		}

		private Mono<Void> abort(ServerWebExchange exchange) {
			exchange.getResponse().getHeaders().set(FAULT_HEADER, "abort");
			Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
			HttpStatusCode status = HttpStatusCode.valueOf(policy.abort().httpStatus());
			return ErrorResponses.write(exchange, status, "fault injected", Map.of("route",
					route == null ? "" : route.getId()));
		}

		@Override
		public String toString() {
			return "[Fault " + policy + "]";
		}

	}

}
