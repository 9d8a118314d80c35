package io.meshgate.policy.cors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;

/**
 * CORS for routes: the {@code Cors} filter, the {@code CorsMethod} predicate, and the preflight
 * answers at route lookup on the gateway's handler mapping, whichever it is (Meshgate's indexed
 * one, or Spring Cloud Gateway's with {@code meshgate.route-index.enabled=false}).
 */
@AutoConfiguration
@ConditionalOnClass(RoutePredicateHandlerMapping.class)
public class CorsAutoConfiguration {

	@Bean
	CorsGatewayFilterFactory corsGatewayFilterFactory(ObjectProvider<MeterRegistry> meters) {
		return new CorsGatewayFilterFactory(meters.getIfUnique(() -> Metrics.globalRegistry));
	}

	@Bean
	CorsMethodRoutePredicateFactory corsMethodRoutePredicateFactory() {
		return new CorsMethodRoutePredicateFactory();
	}

	/** Each route's CORS filter, resolved when the gateway's route table is. */
	@Bean
	CorsRoutes corsRoutes(RouteLocator routeLocator) {
		return new CorsRoutes(routeLocator);
	}

	/**
	 * Static: a post-processor is made before the other beans of its configuration; the routes'
	 * CORS filters are asked for when the mapping is made, after the gateway's route locator.
	 */
	@Bean
	static BeanPostProcessor corsPreflightsAtRouteLookup(ObjectProvider<CorsRoutes> routes) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof RoutePredicateHandlerMapping mapping
						&& !(mapping.getCorsProcessor() instanceof CorsPreflightProcessor)) {
					mapping.setCorsProcessor(
							new CorsPreflightProcessor(mapping.getCorsProcessor(), routes.getObject()));
				}
				return bean;
			}
		};
	}

}
