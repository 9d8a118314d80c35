package io.meshgate.policy.error;

/**
 * The request body did not end within {@code meshgate.ingress.request-body-timeout}: its body
 * stream ends with this error and the connection is closed, so nothing is answered. The edge's
 * HTTP/1.1 guard raises it; on an HTTP/2 stream Reactor Netty raises its own
 * ({@link #REACTOR_NETTY}), and {@link #isCauseOf} recognises both.
 */
public final class RequestBodyTimeoutException extends RuntimeException {

	/** Reactor Netty's (package-private) error for a request body that missed its deadline. */
	static final String REACTOR_NETTY = "reactor.netty.http.server.RequestTimeoutException";

	public RequestBodyTimeoutException() {
		super("request body not received in time", null, false, false);
	}

	/** Whether a failure is (or was caused by) a request body that missed its deadline. */
	public static boolean isCauseOf(Throwable error) {
		return cause(error, RequestBodyTimeoutException.class.getName()) || cause(error, REACTOR_NETTY);
	}

	/** Whether that body timeout is Reactor Netty's (an HTTP/2 stream), which nobody counted yet. */
	public static boolean fromReactorNetty(Throwable error) {
		return cause(error, REACTOR_NETTY);
	}

	private static boolean cause(Throwable error, String className) {
		for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t.getClass().getName().equals(className)) {
				return true;
			}
		}
		return false;
	}

}
