package io.meshgate.policy.error;

/**
 * The request's framing broke the protocol after its headers were accepted (an HTTP/1.1 chunk
 * that does not parse): its body stream ends with this error, never with a normal end, so that
 * an upstream call carrying the body is aborted instead of completed. Answered 400 with a fixed
 * text, and the connection closed.
 */
public final class MalformedRequestException extends RuntimeException {

	public MalformedRequestException(Throwable cause) {
		super("malformed request body", cause, false, false);
	}

}
