package io.meshgate.policy.observe;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Spring's server observation ({@code http.server.requests}), where it is turned on, gets
 * Meshgate's server span instead of a second span of its own: first of the tracing handlers for
 * its context, this one puts the request's span (started by {@link RequestRecording}) in the
 * observation's tracing context, and opens no scope and ends nothing. Observations that name it
 * as their parent (Spring Cloud Gateway's client spans, when its observability is on) become its
 * children.
 */
public final class ServerObservationSpan implements TracingObservationHandler<ServerRequestObservationContext> {

	private final Tracer tracer;

	public ServerObservationSpan(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public void onStart(ServerRequestObservationContext context) {
		RequestRecord record = RequestRecording.of(context.getResponse());
		if (record != null && record.trace() instanceof SpanServerTracing.SpanTrace trace) {
			getTracingContext(context).setSpan(trace.span());
		}
	}

	@Override
	public void onScopeOpened(ServerRequestObservationContext context) {
	}

	@Override
	public void onScopeClosed(ServerRequestObservationContext context) {
	}

	@Override
	public void onScopeReset(ServerRequestObservationContext context) {
	}

	@Override
	public void onEvent(Observation.Event event, ServerRequestObservationContext context) {
	}

	@Override
	public void onError(ServerRequestObservationContext context) {
	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext;
	}

	@Override
	public Tracer getTracer() {
		return tracer;
	}

}
