package io.meshgate.policy.observe;

import org.springframework.http.server.reactive.ServerHttpRequest;

/** Starts the server span of each ingress request, as it arrives. */
@FunctionalInterface
public interface ServerTracing {

	/** Tracing off: no spans, and the client's trace headers reach the upstream unchanged. */
	ServerTracing NONE = request -> ServerTrace.NONE;

	/**
	 * Starts the span of {@code request}: a child of the trace context in its headers, or the root
	 * of a new trace.
	 */
	ServerTrace start(ServerHttpRequest request);

}
