package io.meshgate.policy.breaker;

/** A 5xx answer, turned into an error signal so that the breaker counts it as a failure. */
final class ServerErrorAnswer extends RuntimeException {

	ServerErrorAnswer() {
		super(null, null, false, false);
	}

}
