package io.meshgate.policy.observe;

import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's server span for one request: one span per request, as Envoy records by default.
 * Its context goes to the upstream in the request's trace headers and to the mirror as a shadow
 * span's parent; its trace id goes to the access log.
 */
public interface ServerTrace {

	/** No tracing: no span, no trace id. */
	ServerTrace NONE = new ServerTrace() {

		@Override
		public String traceId() {
			return null;
		}

		@Override
		public void end(String method, String path, int status, RoutedTo to, Throwable error) {
		}

	};

	/** The span of the request {@code exchange} carries; {@link #NONE} when the request is not recorded. */
	static ServerTrace of(ServerWebExchange exchange) {
		RequestRecord record = RequestRecord.of(exchange);
		return record == null ? NONE : record.trace();
	}

	/**
	 * The trace id, also for a request that is not sampled (its id still reaches the upstream), or
	 * {@code null} without one.
	 */
	String traceId();

	/**
	 * Ends the span once the answer is sent. A recorded span is tagged with the request and where
	 * it went; an unsampled one is only closed.
	 * @param to where the gateway sent it, or {@code null} for a request its routes never saw
	 * @param error what the answer was made of when it is an error, or {@code null}
	 */
	void end(String method, String path, int status, RoutedTo to, Throwable error);

}
