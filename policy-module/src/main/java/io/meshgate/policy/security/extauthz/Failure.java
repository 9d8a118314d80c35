package io.meshgate.policy.security.extauthz;

import java.util.Locale;

/**
 * Why a check gave no decision. Each is counted in {@code meshgate.extauthz.failures} under its
 * {@link #tag()}; the request then goes on ({@code failOpen}) or is refused ({@code statusOnError}).
 */
enum Failure implements Outcome {

	/** No complete answer within the policy's timeout (connecting included). */
	TIMEOUT,

	/** The connection was refused, reset or closed early, or the answer was not HTTP. */
	CONNECTION,

	/** The auth service answered 5xx. */
	SERVER_ERROR,

	/** The answer's body was larger than {@code maxResponseSize}. */
	TOO_LARGE,

	/** The circuit breaker refused the call: it is open (or half-open with its probes taken). */
	BREAKER_OPEN,

	/** {@code circuitBreaker.maxConcurrentRequests} checks were in flight already. */
	CONCURRENCY_LIMIT;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** A stackless error carrying this reason, shared: it holds nothing of a request. */
	private final FailedCheck error = new FailedCheck(this);

	String tag() {
		return tag;
	}

	FailedCheck error() {
		return error;
	}

	/** The reason behind an error of the call: ours carry one; a timeout of the client is one; others break the connection. */
	static Failure of(Throwable error) {
		if (error instanceof FailedCheck failed) {
			return failed.reason();
		}
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof io.netty.handler.timeout.ReadTimeoutException
					|| cause instanceof io.netty.channel.ConnectTimeoutException
					|| cause instanceof java.util.concurrent.TimeoutException) {
				return TIMEOUT;
			}
		}
		return CONNECTION;
	}

	/** The error of a failed check: what the breaker records, and how the call reports its reason. */
	static final class FailedCheck extends RuntimeException {

		private final transient Failure reason;

		private FailedCheck(Failure reason) {
			super("external authorization check failed: " + reason.name().toLowerCase(Locale.ROOT), null, false,
					false);
			this.reason = reason;
		}

		Failure reason() {
			return reason;
		}

	}

}
