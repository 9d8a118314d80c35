package io.meshgate.policy.observe;

import java.util.Locale;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Server spans with Micrometer Tracing: the span is built from the request's trace headers as
 * Micrometer's receiver handler builds it, and ended when the answer is sent.
 *
 * <p>It is never opened as the current span on the event loop (no scope, no MDC entries): nothing on
 * the request path reads the current span, so opening and closing it would be work for nobody.
 * Code that needs the span reads it from the request's {@link RequestRecord}.
 */
public final class SpanServerTracing implements ServerTracing {

	private final Propagator propagator;

	public SpanServerTracing(Propagator propagator) {
		this.propagator = propagator;
	}

	@Override
	public ServerTrace start(ServerHttpRequest request) {
		Span span = propagator.extract(request.getHeaders(), HttpHeaders::getFirst)
			.kind(Span.Kind.SERVER)
			.name("http " + request.getMethod().name().toLowerCase(Locale.ROOT))
			.start();
		return new SpanTrace(span);
	}

	/** A server span of Micrometer Tracing's. */
	public static final class SpanTrace implements ServerTrace {

		private static final String INVALID = "0".repeat(32);

		private final Span span;

		SpanTrace(Span span) {
			this.span = span;
		}

		public Span span() {
			return span;
		}

		@Override
		public String traceId() {
			String id = span.context().traceId();
			return id == null || id.isEmpty() || INVALID.equals(id) ? null : id;
		}

		@Override
		public void end(String method, String path, int status, RoutedTo to, Throwable error) {
			if (!span.isNoop()) {
				// the keys of Spring's server observation, so that dashboards built on them still read
				span.tag("method", method);
				span.tag("status", Integer.toString(status));
				span.tag("outcome", outcome(status));
				span.tag("http.url", path);
				span.tag("exception", error == null ? "none" : error.getClass().getSimpleName());
				if (error != null) {
					span.error(error);
				}
				if (to != null) {
					// high-cardinality values: spans only, never metric tags
					tag("meshgate.route", to.route());
					tag("meshgate.backend", to.backend());
					tag("meshgate.upstream", to.upstream());
					tag("meshgate.endpoint", to.endpoint());
					span.tag("meshgate.retries", Integer.toString(to.retries()));
				}
			}
			span.end();
		}

		private void tag(String key, String value) {
			if (value != null) {
				span.tag(key, value);
			}
		}

		private static String outcome(int status) {
			if (status == RequestOutcome.CLIENT_CLOSED) {
				return "UNKNOWN";
			}
			return switch (status / 100) {
				case 1 -> "INFORMATIONAL";
				case 2 -> "SUCCESS";
				case 3 -> "REDIRECTION";
				case 4 -> "CLIENT_ERROR";
				case 5 -> "SERVER_ERROR";
				default -> "UNKNOWN";
			};
		}

	}

}
