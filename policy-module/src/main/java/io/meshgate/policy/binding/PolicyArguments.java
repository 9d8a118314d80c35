package io.meshgate.policy.binding;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Name;
import org.springframework.cloud.gateway.support.HasRouteId;

/**
 * A filter's or predicate's arguments as Spring Cloud Gateway hands them over, before they are
 * bound into the policy record: its {@code ConfigurationService} binds the arguments (shortcut
 * form already spread over names, expressions evaluated) into this one map, and
 * {@code RouteDefinitionRouteLocator} tells it the route it builds ({@link HasRouteId}, its only
 * way to name the route to a filter). {@link PolicyBinding} then binds the map into the record,
 * so that every argument error reads {@code field: value (expected: …)} and unknown arguments are
 * refused, which binding into a record directly in the gateway would not do.
 */
public final class PolicyArguments implements HasRouteId {

	private final Map<String, Object> given;

	private String routeId;

	/**
	 * @param given the arguments, nested where their names are ({@code delay.percentage},
	 * {@code set[X-Env]}, {@code retryOn[0]}); bound from the root of the arguments
	 */
	public PolicyArguments(@Name("") Map<String, Object> given) {
		this.given = given == null ? Map.of() : given;
	}

	public Map<String, Object> given() {
		return given;
	}

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

	@Override
	public String toString() {
		return "PolicyArguments" + given;
	}

}
