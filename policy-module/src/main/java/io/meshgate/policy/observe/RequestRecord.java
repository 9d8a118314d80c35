package io.meshgate.policy.observe;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * What Meshgate keeps about one ingress request while it runs, from its arrival to the last byte
 * of its answer: when it came, its server span, the body bytes read and sent, and, once WebFlux
 * has made the exchange, the exchange's attributes, from which the route and the upstream are read
 * at the end. One object per request; {@link RequestRecording} makes it and records it.
 */
public final class RequestRecord {

	private static final AtomicLongFieldUpdater<RequestRecord> IN = AtomicLongFieldUpdater
		.newUpdater(RequestRecord.class, "in");

	private static final AtomicLongFieldUpdater<RequestRecord> OUT = AtomicLongFieldUpdater
		.newUpdater(RequestRecord.class, "out");

	private final Instant time;

	private final long startNanos;

	private final ServerTrace trace;

	private volatile long in;

	private volatile long out;

	/**
	 * Set once by {@link RequestRecordFilter}, first of the web filters; read when the request
	 * ends. {@code null} for a request WebFilter never saw (refused before an exchange was made).
	 */
	private volatile Map<String, Object> attributes;

	RequestRecord(Instant time, long startNanos, ServerTrace trace) {
		this.time = time;
		this.startNanos = startNanos;
		this.trace = trace;
	}

	/** The record of the request {@code exchange} belongs to, or {@code null} when none is kept. */
	public static RequestRecord of(ServerWebExchange exchange) {
		return exchange.getAttribute(ExchangeAttributes.REQUEST_RECORD);
	}

	/** The request's server span; {@link ServerTrace#NONE} when tracing is off. */
	public ServerTrace trace() {
		return trace;
	}

	public long bytesIn() {
		return in;
	}

	public long bytesOut() {
		return out;
	}

	Instant time() {
		return time;
	}

	long startNanos() {
		return startNanos;
	}

	Map<String, Object> attributes() {
		return attributes;
	}

	void attach(Map<String, Object> attributes) {
		this.attributes = attributes;
	}

	void received(int bytes) {
		IN.addAndGet(this, bytes);
	}

	void sent(int bytes) {
		OUT.addAndGet(this, bytes);
	}

}
