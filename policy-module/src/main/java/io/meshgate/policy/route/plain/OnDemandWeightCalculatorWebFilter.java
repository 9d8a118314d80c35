package io.meshgate.policy.route.plain;

import java.util.random.RandomGenerator;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.event.PredicateArgsEvent;
import org.springframework.cloud.gateway.event.WeightDefinedEvent;
import org.springframework.cloud.gateway.filter.WeightCalculatorWebFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.cloud.gateway.support.WeightConfig;
import org.springframework.context.ApplicationEvent;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Spring Cloud Gateway's filter that draws, on every request, which route of each {@code Weight}
 * group serves it; here it does nothing per request (no draw, no map) until a route declares a
 * group, which most Meshgate gateways never do (Meshgate routes split traffic with their
 * backends' weights). Its draws come from the application's {@link RandomGenerator}, as
 * Meshgate's own, so that tests can make them exact.
 * <p>
 * A {@code Weight} predicate announces its group when its route is built, before the route is
 * served: with its arguments ({@link PredicateArgsEvent}, keys {@code weight.*}) when written in
 * YAML, with a {@link WeightDefinedEvent} when built with the Java DSL.
 */
public class OnDemandWeightCalculatorWebFilter extends WeightCalculatorWebFilter {

	/** The arguments of a {@code Weight} predicate, as the gateway's own filter reads them. */
	private static final String GROUP_PREFIX = WeightConfig.CONFIG_PREFIX + ".";

	/** Set once, when the first group is declared; groups are never forgotten (as in the gateway). */
	private volatile boolean groupsDeclared;

	public OnDemandWeightCalculatorWebFilter(ObjectProvider<RouteLocator> routeLocator,
			ConfigurationService configurationService, RandomGenerator random) {
		super(routeLocator, configurationService);
		setRandomSupplier(random::nextDouble);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		super.onApplicationEvent(event);
		if (event instanceof WeightDefinedEvent || event instanceof PredicateArgsEvent args && declaresGroup(args)) {
			groupsDeclared = true;
		}
	}

	private static boolean declaresGroup(PredicateArgsEvent event) {
		return event.getArgs().keySet().stream().anyMatch(key -> key.startsWith(GROUP_PREFIX));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return groupsDeclared ? super.filter(exchange, chain) : chain.filter(exchange);
	}

	/**
	 * A constant name: Spring's {@code DefaultWebFilterChain} asks every web filter for its
	 * {@code toString()} on every request (a Reactor checkpoint's description), and
	 * {@code Object.toString()} builds a new string of class name and hash code each time.
	 */
	@Override
	public String toString() {
		return "OnDemandWeightCalculatorWebFilter";
	}

}
