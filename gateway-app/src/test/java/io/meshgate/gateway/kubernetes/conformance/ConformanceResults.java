package io.meshgate.gateway.kubernetes.conformance;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The outcome of each conformance test of the run, by method name (the upstream ShortName), for
 * the report: passed, failed (with the error), or skipped with the reason of its {@code @Disabled}.
 */
public final class ConformanceResults implements TestWatcher {

	/** An outcome; {@code reason} is the failure or the skip reason. */
	record Outcome(String result, String reason) {

	}

	static final Map<String, Outcome> OUTCOMES = new ConcurrentHashMap<>();

	@Override
	public void testSuccessful(ExtensionContext context) {
		OUTCOMES.put(name(context), new Outcome("passed", null));
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		OUTCOMES.put(name(context), new Outcome("failed", String.valueOf(cause.getMessage())));
	}

	@Override
	public void testAborted(ExtensionContext context, Throwable cause) {
		OUTCOMES.put(name(context), new Outcome("skipped", String.valueOf(cause.getMessage())));
	}

	@Override
	public void testDisabled(ExtensionContext context, Optional<String> reason) {
		OUTCOMES.put(name(context), new Outcome("skipped", reason.orElse("disabled")));
	}

	private static String name(ExtensionContext context) {
		return context.getRequiredTestMethod().getName();
	}

}
