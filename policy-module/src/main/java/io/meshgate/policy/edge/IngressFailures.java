package io.meshgate.policy.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.policy.error.RequestBodyTimeoutException;
import io.meshgate.policy.observe.MeshMetrics;

/**
 * Counts the ingress connections and requests Meshgate gave up on before a route could answer:
 * requests whose headers or body missed their deadline and requests that broke the protocol. The counters
 * are registered once, so counting costs no lookup.
 */
public final class IngressFailures {

	private final Counter headersTimeouts;

	private final Counter bodyTimeouts;

	private final Counter malformedHttp1;

	private final Counter malformedHttp2;

	public IngressFailures(MeterRegistry meters) {
		this.headersTimeouts = Counter.builder(MeshMetrics.INGRESS_TIMEOUTS)
			.description("Ingress connections closed because a request's headers did not arrive within meshgate.ingress.request-header-timeout")
			.tag("phase", "headers")
			.register(meters);
		this.bodyTimeouts = Counter.builder(MeshMetrics.INGRESS_TIMEOUTS)
			.description("Ingress requests whose body did not arrive within meshgate.ingress.request-body-timeout")
			.tag("phase", "body")
			.register(meters);
		this.malformedHttp1 = malformed(meters, "http1");
		this.malformedHttp2 = malformed(meters, "h2");
	}

	private static Counter malformed(MeterRegistry meters, String protocol) {
		return Counter.builder(MeshMetrics.INGRESS_MALFORMED)
			.description("Ingress requests refused because their framing broke the protocol")
			.tag("protocol", protocol)
			.register(meters);
	}

	/**
	 * Counts a body timeout as it reaches the error handler: only Reactor Netty's (HTTP/2 streams);
	 * {@link Http1RequestGuard} counted the HTTP/1.1 ones when they happened.
	 */
	public void bodyTimeoutObserved(Throwable error) {
		if (RequestBodyTimeoutException.fromReactorNetty(error)) {
			bodyTimeouts.increment();
		}
	}

	void headersTimedOut() {
		headersTimeouts.increment();
	}

	void bodyTimedOut() {
		bodyTimeouts.increment();
	}

	public void malformed(boolean http2) {
		(http2 ? malformedHttp2 : malformedHttp1).increment();
	}

}
