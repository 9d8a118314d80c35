package io.meshgate.policy.observe;

import io.micrometer.observation.Observation;

/** Finds the trace id of an observation; {@link #NONE} when tracing is off. */
@FunctionalInterface
public interface TraceIds {

	TraceIds NONE = context -> null;

	/** The trace id of the span recorded for {@code context}, or {@code null}. */
	String traceId(Observation.ContextView context);

}
