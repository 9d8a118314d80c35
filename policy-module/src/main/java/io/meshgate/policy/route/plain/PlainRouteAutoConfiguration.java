package io.meshgate.policy.route.plain;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import reactor.core.publisher.Flux;
import reactor.util.context.Context;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.WeightCalculatorWebFilter;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.route.CachingRouteLocator;
import org.springframework.cloud.gateway.route.CompositeRouteLocator;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteDefinitionRouteLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Routes written for Spring Cloud Gateway itself, next to Meshgate's: built by
 * {@link PlainRouteLocator} instead of the gateway's {@code routeDefinitionRouteLocator} (which
 * stays a bean, but out of the route table), checked at start-up, and the {@code Weight}
 * predicate's filter made free while no route uses it.
 * <p>
 * At start-up every route of {@code spring.cloud.gateway.server.webflux.routes} must build, or the
 * application does not start, with a message naming each route and its error; the gateway's
 * {@code fail-on-route-definition-error=false} turns that into its own warning per route. Routes
 * from other sources (a {@code RouteDefinitionRepository}, the actuator) are built at run time,
 * where one that cannot be built never takes the others down.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnClass(RouteDefinitionRouteLocator.class)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
public class PlainRouteAutoConfiguration {

	/** The gateway's own converter of route definitions, which {@link PlainRouteLocator} replaces. */
	static final String GATEWAY_CONVERTER = "routeDefinitionRouteLocator";

	/**
	 * Building routes from properties reads nothing from outside and finishes at once; the bound
	 * only keeps a factory that would wait from holding start-up forever.
	 */
	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

	@Bean
	PlainRouteLocator plainRouteLocator(RouteDefinitionLocator definitions, List<RoutePredicateFactory> predicates,
			List<GatewayFilterFactory> filters, GatewayProperties properties, ConfigurationService configuration) {
		// one converter, fed the definition to build through the subscriber's context
		RouteDefinitionRouteLocator converter = new RouteDefinitionRouteLocator(
				() -> Flux.deferContextual(context -> Flux.just(context.get(RouteDefinition.class))), predicates,
				filters, properties, configuration);
		return new PlainRouteLocator(definitions,
				definition -> converter.getRoutes().contextWrite(Context.of(RouteDefinition.class, definition)).next());
	}

	/** The gateway's cached route table, over every route locator but the gateway's own converter. */
	@Bean
	@Primary
	@ConditionalOnMissingBean(name = "cachedCompositeRouteLocator")
	RouteLocator cachedCompositeRouteLocator(List<RouteLocator> locators,
			@Qualifier(GATEWAY_CONVERTER) ObjectProvider<RouteLocator> gatewayConverter) {
		RouteLocator replaced = gatewayConverter.getIfAvailable();
		List<RouteLocator> served = locators.stream().filter(locator -> locator != replaced).toList();
		return new CachingRouteLocator(new CompositeRouteLocator(Flux.fromIterable(served)));
	}

	/** The YAML routes must all build before the application takes traffic. */
	@Bean
	SmartInitializingSingleton plainRoutesCheck(PlainRouteLocator locator, GatewayProperties properties) {
		return () -> {
			if (!properties.isFailOnRouteDefinitionError()) {
				return;
			}
			Map<String, String> failures = locator.failures(List.copyOf(properties.getRoutes())).block(CHECK_TIMEOUT);
			if (failures != null && !failures.isEmpty()) {
				StringBuilder message = new StringBuilder("Gateway routes cannot be built:");
				failures.forEach((id, error) -> message.append("\n  route ").append(id).append(": ").append(error));
				throw new IllegalStateException(message.toString());
			}
		};
	}

	/**
	 * Puts {@link OnDemandWeightCalculatorWebFilter} in place of the gateway's own filter, which
	 * the gateway registers unconditionally while the {@code Weight} predicate is enabled.
	 */
	@Bean
	static BeanPostProcessor onDemandWeightCalculator(ObjectProvider<RouteLocator> routes,
			ObjectProvider<ConfigurationService> configuration, ObjectProvider<RandomGenerator> random) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) throws BeansException {
				if (bean.getClass() != WeightCalculatorWebFilter.class) {
					return bean;
				}
				return new OnDemandWeightCalculatorWebFilter(routes, configuration.getObject(), random.getObject());
			}

		};
	}

}
