package io.meshgate.policy.route.lookup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.accept.ApiVersionStrategy;

/**
 * Replaces the gateway's handler mapping with {@link IndexedRoutePredicateHandlerMapping}
 * (the gateway backs off from its own when one exists). {@code meshgate.route-index.enabled=false}
 * keeps the gateway's one-route-after-another scan.
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnClass(RoutePredicateHandlerMapping.class)
@ConditionalOnProperty(name = "meshgate.route-index.enabled", matchIfMissing = true)
public class RouteLookupAutoConfiguration {

	@Bean
	RoutePredicateHandlerMapping routePredicateHandlerMapping(FilteringWebHandler webHandler,
			RouteLocator routeLocator, GlobalCorsProperties cors, Environment environment,
			ObjectProvider<ApiVersionStrategy> apiVersionStrategy) {
		IndexedRoutePredicateHandlerMapping mapping = new IndexedRoutePredicateHandlerMapping(webHandler,
				routeLocator, cors, environment);
		apiVersionStrategy.ifAvailable(mapping::setApiVersionStrategy);
		return mapping;
	}

}
