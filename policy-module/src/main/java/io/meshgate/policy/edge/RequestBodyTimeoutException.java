package io.meshgate.policy.edge;

/**
 * The request body did not end within {@code meshgate.ingress.request-body-timeout}: its body
 * stream ends with this error and the connection is closed, so nothing is answered.
 */
public final class RequestBodyTimeoutException extends RuntimeException {

	public RequestBodyTimeoutException() {
		super("request body not received in time", null, false, false);
	}

}
