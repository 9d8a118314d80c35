package io.meshgate.policy.breaker;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.timeout.Timeouts;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * Puts every attempt to an upstream with a {@code circuitBreaker} through its breaker and
 * concurrency cap. It runs after the retry filter, so each try is one call to the breaker, and
 * before the load balancer, so an open breaker answers at once without choosing an endpoint.
 */
public final class UpstreamGuardFilter implements GlobalFilter, Ordered {

	private final UpstreamRegistry upstreams;

	public UpstreamGuardFilter(UpstreamRegistry upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		UpstreamRuntime upstream = url != null && "lb".equals(url.getScheme()) ? upstreams.get(url.getHost()) : null;
		if (upstream == null || upstream.breaker() == null) {
			return chain.filter(exchange);
		}
		Mono<Void> call = chain.filter(exchange).then(Mono.defer(() -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			return status != null && status.is5xxServerError() ? Mono.error(new ServerErrorAnswer()) : Mono.empty();
		}));
		return upstream.breaker()
			.guard(call, () -> Timeouts.timedOut(exchange))
			.onErrorResume(ServerErrorAnswer.class, answer -> Mono.empty());
	}

	@Override
	public int getOrder() {
		return PolicyOrder.UPSTREAM_GUARD;
	}

}
