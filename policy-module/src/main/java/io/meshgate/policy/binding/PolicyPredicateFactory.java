package io.meshgate.policy.binding;

import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.web.server.ServerWebExchange;

/**
 * A route predicate factory whose arguments bind straight into a record {@code P}, as
 * {@link PolicyFilterFactory} does for filters: once, when the route is built.
 *
 * @param <P> the record of the predicate's arguments
 */
public abstract class PolicyPredicateFactory<P extends Record>
		extends AbstractRoutePredicateFactory<PolicyArguments> {

	private final Class<P> argumentsType;

	protected PolicyPredicateFactory(Class<P> argumentsType) {
		super(PolicyArguments.class);
		this.argumentsType = argumentsType;
	}

	public Class<P> argumentsType() {
		return argumentsType;
	}

	@Override
	public PolicyArguments newConfig() {
		return new PolicyArguments(null);
	}

	@Override
	public final Predicate<ServerWebExchange> apply(PolicyArguments arguments) {
		return predicate(bind(arguments));
	}

	/** The record {@code arguments} bind into; throws {@link IllegalArgumentException} as {@code field: value (expected: …)}. */
	public P bind(PolicyArguments arguments) {
		return PolicyBinding.bind(argumentsType, arguments.given(), shortcutFieldOrder());
	}

	/** The predicate testing requests against {@code arguments}. */
	public abstract Predicate<ServerWebExchange> predicate(P arguments);

}
