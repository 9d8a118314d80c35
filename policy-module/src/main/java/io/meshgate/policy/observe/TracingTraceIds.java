package io.meshgate.policy.observe;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

/** Reads the trace id that Micrometer Tracing's handler stored in the observation's context. */
final class TracingTraceIds implements TraceIds {

	@Override
	public String traceId(Observation.ContextView context) {
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		Span span = tracing == null ? null : tracing.getSpan();
		if (span == null || span.isNoop()) {
			return null;
		}
		String id = span.context().traceId();
		return id == null || id.isEmpty() ? null : id;
	}

}
