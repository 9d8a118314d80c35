package io.meshgate.policy.observe;

import io.netty.handler.codec.http.HttpHeaders;

/** Starts the span of each shadow copy the mirror sends. */
@FunctionalInterface
public interface ShadowTracing {

	/** Tracing off: no shadow spans, and copies carry the client's trace headers unchanged. */
	ShadowTracing NONE = (primary, route, mirror, host, port, headers) -> ShadowTrace.NONE;

	/**
	 * Starts the span of a copy of a request to {@code route}, about to be sent to {@code host:port}
	 * of {@code mirror}, and writes its trace context into {@code headers}, the copy's, in place of
	 * the client's.
	 * @param primary the primary request's server span, the shadow span's parent
	 */
	ShadowTrace start(ServerTrace primary, String route, String mirror, String host, int port, HttpHeaders headers);

}
