package io.meshgate.policy.security.authz;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.context.annotation.Bean;

/**
 * The gateway's filtering handler, in place of Spring Cloud Gateway's own (which it makes only
 * when there is none): the authorization filter runs on the routes a policy may apply to
 * ({@link AuthorizingFilteringWebHandler}).
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnClass(FilteringWebHandler.class)
public class AuthorizationAutoConfiguration {

	@Bean
	FilteringWebHandler filteringWebHandler(List<GlobalFilter> globalFilters, GatewayProperties properties,
			AuthorizationFilter authorization) {
		return new AuthorizingFilteringWebHandler(globalFilters, properties.isRouteFilterCacheEnabled(), authorization);
	}

}
