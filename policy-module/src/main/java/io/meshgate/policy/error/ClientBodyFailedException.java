package io.meshgate.policy.error;

/**
 * The client's request body ended with an error while it was being sent upstream (the client
 * closed or reset its connection or stream): the upstream call is aborted with this instead of
 * the server's own exception. It carries no stack trace and no cause, so that Reactor Netty's
 * client, which logs every aborted call at WARN with its exception, writes one line per request,
 * never a trace that a client could have the gateway write at will.
 */
public final class ClientBodyFailedException extends RuntimeException {

	public ClientBodyFailedException() {
		super("the client's request body ended with an error", null, false, false);
	}

}
