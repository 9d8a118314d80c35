package io.meshgate.policy.breaker;

/**
 * What the breaker records for a call answered with a 5xx status: a failure. Stackless and
 * shared, since it carries nothing of the call.
 */
final class ServerErrorAnswer extends RuntimeException {

	static final ServerErrorAnswer INSTANCE = new ServerErrorAnswer();

	private ServerErrorAnswer() {
		super("answered with a server error", null, false, false);
	}

}
