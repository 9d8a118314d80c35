package io.meshgate.policy.observe;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

/** Reads the trace id that Micrometer Tracing's handler stored in the observation's context. */
final class TracingTraceIds implements TraceIds {

	private static final String INVALID = "0".repeat(32);

	@Override
	public String traceId(Observation.ContextView context) {
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		Span span = tracing == null ? null : tracing.getSpan();
		if (span == null) {
			return null;
		}
		// an unsampled span is not recorded, but its trace id still goes to the upstream: log it
		String id = span.context().traceId();
		return id == null || id.isEmpty() || INVALID.equals(id) ? null : id;
	}

}
