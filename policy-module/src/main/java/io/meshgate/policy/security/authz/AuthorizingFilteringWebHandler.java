package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Spring Cloud Gateway's filtering handler, with the {@link AuthorizationFilter} in the chain of
 * exactly the routes an authorization policy in force may apply to (one names the route or a
 * host, or one targets the whole gateway), whatever made the route: Meshgate's configuration,
 * Kubernetes, or Spring Cloud Gateway's own YAML. A route no policy can target pays nothing for
 * authorization.
 *
 * <p>The gateway combines a route's filters once and keeps the list until the next
 * {@code RefreshRoutesEvent} ({@code route-filter-cache-enabled}, on in Meshgate). Policies are
 * installed before the routes of their configuration switch and that event follows
 * ({@code MeshRouting#apply}), so every list combined after a configuration is applied reflects
 * its policies: a gateway-wide policy added at runtime reaches every route.
 */
public final class AuthorizingFilteringWebHandler extends FilteringWebHandler {

	private static final AnnotationAwareOrderComparator ORDER = AnnotationAwareOrderComparator.INSTANCE;

	private final AuthorizationFilter authorization;

	public AuthorizingFilteringWebHandler(List<GlobalFilter> globalFilters, boolean routeFilterCacheEnabled,
			AuthorizationFilter authorization) {
		super(globalFilters, routeFilterCacheEnabled);
		this.authorization = authorization;
	}

	@Override
	protected List<GatewayFilter> getAllFilters(Route route) {
		List<GatewayFilter> filters = super.getAllFilters(route);
		if (!authorization.appliesTo(route.getId())) {
			return filters;
		}
		// after every filter that sorts before it or with it, as a stable sort of the whole list puts it
		int at = 0;
		while (at < filters.size() && ORDER.compare(filters.get(at), authorization) <= 0) {
			at++;
		}
		List<GatewayFilter> authorized = new ArrayList<>(filters.size() + 1);
		authorized.addAll(filters.subList(0, at));
		authorized.add(authorization);
		authorized.addAll(filters.subList(at, filters.size()));
		return authorized;
	}

}
