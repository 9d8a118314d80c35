package io.meshgate.policy.error;

/**
 * The gateway refused to call an upstream (breaker open, concurrency cap reached): answered 503
 * with a JSON body naming the upstream and why, and {@code Retry-After}.
 */
public final class UpstreamUnavailableException extends RuntimeException {

	private final String upstream;

	private final String state;

	private final long retryAfterSeconds;

	public UpstreamUnavailableException(String upstream, String state, String reason, long retryAfterSeconds) {
		super(reason, null, false, false);
		this.upstream = upstream;
		this.state = state;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public String upstream() {
		return upstream;
	}

	/** The breaker's state, {@code OPEN} or {@code HALF_OPEN}, or {@code FULL} for the concurrency cap. */
	public String state() {
		return state;
	}

	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

}
