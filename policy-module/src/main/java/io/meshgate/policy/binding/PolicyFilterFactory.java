package io.meshgate.policy.binding;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;

/**
 * A gateway filter factory whose arguments bind straight into a policy record {@code P}: the
 * record is the only definition of the filter's fields, defaults and checks, in plain gateway
 * YAML ({@code LocalRateLimit=…}, {@code args: {…}}) as in a compiled Meshgate route. Binding
 * happens once, when the route is built ({@link PolicyBinding}); the filter gets the record and
 * the id of its route. From Java (a {@code RouteLocatorBuilder} route), call
 * {@link #filter(Record, String)} with the record.
 *
 * @param <P> the policy record
 */
public abstract class PolicyFilterFactory<P extends Record> extends AbstractGatewayFilterFactory<PolicyArguments> {

	private final Class<P> policyType;

	protected PolicyFilterFactory(Class<P> policyType) {
		super(PolicyArguments.class);
		this.policyType = policyType;
	}

	public Class<P> policyType() {
		return policyType;
	}

	@Override
	public PolicyArguments newConfig() {
		return new PolicyArguments(null);
	}

	@Override
	public final GatewayFilter apply(PolicyArguments arguments) {
		return filter(bind(arguments), arguments.route());
	}

	/** The record {@code arguments} bind into; throws {@link IllegalArgumentException} as {@code field: value (expected: …)}. */
	public P bind(PolicyArguments arguments) {
		return PolicyBinding.bind(policyType, arguments.given(), shortcutFieldOrder());
	}

	/**
	 * The filter applying {@code policy} on route {@code route} ({@code ""} outside a route, for
	 * the tags of its metrics).
	 */
	public abstract GatewayFilter filter(P policy, String route);

	/**
	 * The filter of {@code type} that {@code route} runs, as a factory made it (unwrapped from its
	 * order); {@code null} when the route has none. For explaining a route, not for requests.
	 */
	public static <F> F filterOf(Route route, Class<F> type) {
		for (GatewayFilter filter : route.getFilters()) {
			GatewayFilter inner = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : filter;
			if (type.isInstance(inner)) {
				return type.cast(inner);
			}
		}
		return null;
	}

}
