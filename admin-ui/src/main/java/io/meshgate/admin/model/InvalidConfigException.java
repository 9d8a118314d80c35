package io.meshgate.admin.model;

import java.util.List;

/** A configuration rejected as a whole, with every error found. */
public class InvalidConfigException extends RuntimeException {

	private final List<ConfigError> errors;

	public InvalidConfigException(List<ConfigError> errors) {
		super(errors.size() + " error(s): " + errors);
		this.errors = List.copyOf(errors);
	}

	public List<ConfigError> errors() {
		return errors;
	}

}
