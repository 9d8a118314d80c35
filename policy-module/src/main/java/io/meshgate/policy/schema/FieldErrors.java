package io.meshgate.policy.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The errors of a record's independent fields, collected in its compact constructor so that one
 * answer names them all: each check still lives in the record and runs once; a failing one
 * leaves its fallback in place and the next field is checked. {@link #throwIfAny()} ends the
 * constructor with one {@link IllegalArgumentException}, an {@link InvalidFieldsException} when
 * there are several.
 */
public final class FieldErrors {

	private final List<String> messages = new ArrayList<>();

	/** {@code check} applied to {@code value}, or {@code fallback} with its error kept. */
	public <T, R> R check(Function<T, R> check, T value, R fallback) {
		try {
			return check.apply(value);
		}
		catch (IllegalArgumentException ex) {
			add(ex);
			return fallback;
		}
	}

	/** Runs {@code check}, keeping its error. */
	public void run(Runnable check) {
		try {
			check.run();
		}
		catch (IllegalArgumentException ex) {
			add(ex);
		}
	}

	private void add(IllegalArgumentException ex) {
		if (ex instanceof InvalidFieldsException several) {
			messages.addAll(several.messages());
		}
		else {
			messages.add(ex.getMessage());
		}
	}

	public void throwIfAny() {
		if (messages.size() == 1) {
			throw new IllegalArgumentException(messages.get(0));
		}
		if (!messages.isEmpty()) {
			throw new InvalidFieldsException(messages);
		}
	}

}
