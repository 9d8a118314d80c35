package io.meshgate.policy;

import org.springframework.cloud.gateway.support.HasRouteId;

/**
 * The bindable configuration of a filter whose counters are tagged with the route it serves:
 * Spring Cloud Gateway hands the route id over through {@link HasRouteId}.
 */
public abstract class RouteScopedConfig implements HasRouteId {

	private String routeId;

	@Override
	public void setRouteId(String routeId) {
		this.routeId = routeId;
	}

	@Override
	public String getRouteId() {
		return routeId;
	}

	/** The route id, or {@code ""} when the filter is used outside a route. */
	public String route() {
		return routeId == null ? "" : routeId;
	}

}
