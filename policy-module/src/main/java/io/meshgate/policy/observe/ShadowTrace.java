package io.meshgate.policy.observe;

/** The span of one shadow copy: ended when the copy is answered, fails, or is given up. */
@FunctionalInterface
public interface ShadowTrace {

	/** No tracing: no span. */
	ShadowTrace NONE = (status, error) -> {
	};

	/**
	 * Ends the span.
	 * @param status the mirror's status code, or {@code 0} without an answer
	 * @param error why the copy failed, or {@code null}
	 */
	void end(int status, Throwable error);

}
