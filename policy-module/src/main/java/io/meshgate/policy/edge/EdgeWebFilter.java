package io.meshgate.policy.edge;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;

/**
 * The edge as one web filter: its {@link EdgeFilter}s in their order, then the rest of the
 * application's web filters and the handler. Each step gets a chain whose {@code filter} runs the
 * next step: a small object per step and request, where WebFlux would add a deferred publisher and
 * a checkpoint per web filter.
 */
public final class EdgeWebFilter implements WebFilter, Ordered {

	private final EdgeFilter[] steps;

	public EdgeWebFilter(List<? extends EdgeFilter> steps) {
		this.steps = steps.stream().sorted(AnnotationAwareOrderComparator.INSTANCE).toArray(EdgeFilter[]::new);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return steps.length == 0 ? chain.filter(exchange) : new Step(0, chain).filter(exchange);
	}

	/** The chain the step at {@code index} passes its exchange to. */
	private final class Step implements WebFilterChain {

		private final int index;

		private final WebFilterChain rest;

		Step(int index, WebFilterChain rest) {
			this.index = index;
			this.rest = rest;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			return index == steps.length ? rest.filter(exchange)
					: steps[index].filter(exchange, new Step(index + 1, rest));
		}

	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_CLIENT;
	}

	/**
	 * A constant: WebFlux names each web filter's checkpoint with it on every request, and
	 * {@code Object.toString()} builds a new string of class name and hash code each time.
	 */
	@Override
	public String toString() {
		return "EdgeWebFilter";
	}

}
