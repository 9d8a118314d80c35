package io.meshgate.policy.rollout;

/**
 * What one side of a rollout (canary or baseline) did during a step: its requests, those that
 * failed, and their latencies. Replicas' windows add up with {@link #plus}.
 *
 * @param requests the requests answered
 * @param errors those that failed: a 5xx, or no answer at all
 * @param latencies every request's latency
 */
public record BackendWindow(long requests, long errors, LatencyHistogram latencies) {

	public BackendWindow {
		if (requests < 0 || errors < 0 || errors > requests) {
			throw new IllegalArgumentException("errors: " + errors + " of " + requests + " requests (expected: 0-requests)");
		}
		latencies = latencies == null ? new LatencyHistogram() : latencies;
	}

	public static BackendWindow empty() {
		return new BackendWindow(0, 0, new LatencyHistogram());
	}

	public BackendWindow plus(BackendWindow other) {
		return new BackendWindow(requests + other.requests, errors + other.errors, latencies.plus(other.latencies));
	}

	/** The share of requests that failed; 0 without requests. */
	public double errorShare() {
		return requests == 0 ? 0 : (double) errors / requests;
	}

}
