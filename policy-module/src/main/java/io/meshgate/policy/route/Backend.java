package io.meshgate.policy.route;

import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.schema.Example;

/**
 * One weighted destination of a route: {@code {upstream: orders-v2, weight: 10}}, or a share the
 * gateway answers itself with a status: {@code {status: 500, weight: 10}} (what Gateway API asks
 * for the share of a backend reference that cannot be used). Weights are relative; a weight of 0
 * keeps the backend configured but sends it nothing.
 *
 * @param upstream the upstream the share goes to; required unless {@code status} is given
 * @param weight relative share, >= 0; default 1
 * @param status answer the share with this status, 500-599, and a fixed error body saying the
 * backend cannot be used (no upstream is called); not with {@code upstream}; default none
 * @param requestHeaders changes to the headers of the requests this backend receives, after the
 * route's own {@code requestHeaders} (Gateway API's {@code RequestHeaderModifier} on a
 * backendRef); only with {@code upstream}; default none
 * @param responseHeaders changes to the headers of the responses to requests sent to this
 * backend, after the route's own {@code responseHeaders}; only with {@code upstream}; default none
 */
public record Backend(@Example("orders-v1") String upstream, Integer weight, @Example("500") Integer status,
		HeaderModifier requestHeaders, HeaderModifier responseHeaders) {

	public static final int DEFAULT_WEIGHT = 1;

	public Backend {
		if (status != null) {
			if (upstream != null) {
				throw new IllegalArgumentException(
						"status: " + status + " (expected: none with upstream " + upstream + "; one or the other)");
			}
			if (status < 500 || status > 599) {
				throw new IllegalArgumentException("status: " + status + " (expected: 500-599)");
			}
			if (requestHeaders != null || responseHeaders != null) {
				throw new IllegalArgumentException("status: " + status
						+ " (expected: none with requestHeaders or responseHeaders; a status share calls no upstream)");
			}
		}
		else if (upstream == null || upstream.isBlank()) {
			throw new IllegalArgumentException(
					"upstream: " + upstream + " (expected: the name of an upstream, or a status instead)");
		}
		weight = weight == null ? DEFAULT_WEIGHT : weight;
		requestHeaders = requestHeaders == null || requestHeaders.isEmpty() ? null : requestHeaders;
		responseHeaders = responseHeaders == null || responseHeaders.isEmpty() ? null : responseHeaders;
		if (weight < 0) {
			throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
		}
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	public static Backend of(String upstream, int weight) {
		return new Backend(upstream, weight, null, null, null);
	}

	/** This backend with changes to the headers of its requests and of their responses. */
	public Backend withHeaders(HeaderModifier requestHeaders, HeaderModifier responseHeaders) {
		return new Backend(upstream, weight, status, requestHeaders, responseHeaders);
	}

	public Backend withWeight(int weight) {
		return new Backend(upstream, weight, status, requestHeaders, responseHeaders);
	}

	/** Whether the requests to this backend, or their responses, get headers of their own. */
	public boolean changesHeaders() {
		return requestHeaders != null || responseHeaders != null;
	}

	/** A share answered with {@code status} by the gateway itself. */
	public static Backend answering(int status, int weight) {
		return new Backend(null, weight, status, null, null);
	}

	/**
	 * What the split chooses between: the upstream's name, or {@code status:500} for a status
	 * answer (the form the {@code Canary} filter's backends take, and the {@code backend} of
	 * metrics and access-log lines).
	 */
	public String target() {
		return upstream != null ? upstream : WeightedBackends.STATUS_PREFIX + status;
	}

}
