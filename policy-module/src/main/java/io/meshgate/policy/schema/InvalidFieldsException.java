package io.meshgate.policy.schema;

import java.util.List;

/**
 * Several fields of one record are invalid: each message is {@code field: value (expected: …)};
 * the exception's own message joins them for readers that show one line (start-up binding).
 */
public final class InvalidFieldsException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final List<String> messages;

	public InvalidFieldsException(List<String> messages) {
		super(String.join("; ", messages));
		this.messages = List.copyOf(messages);
	}

	public List<String> messages() {
		return messages;
	}

}
