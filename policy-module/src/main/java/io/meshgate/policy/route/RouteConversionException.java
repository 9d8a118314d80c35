package io.meshgate.policy.route;

import java.util.List;

/**
 * Route definitions that Spring Cloud Gateway could not turn into routes, one error each, in the
 * form {@code routes[orders]: filter RouteTimeout (expected: …)}. The texts are Meshgate's own:
 * the gateway's exception, which may repeat argument values, goes to the log only.
 */
public class RouteConversionException extends IllegalArgumentException {

	private final List<String> errors;

	public RouteConversionException(List<String> errors) {
		super(String.join("; ", errors));
		this.errors = List.copyOf(errors);
	}

	public List<String> errors() {
		return errors;
	}

}
