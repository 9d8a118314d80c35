package io.meshgate.policy.observe;

import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_HANDLER_MAPPER_ATTR;

/**
 * Tags a recorded server span with where the gateway sent the request: {@code meshgate.route},
 * {@code meshgate.backend}, {@code meshgate.upstream}, {@code meshgate.endpoint} and
 * {@code meshgate.retries}. The gateway records one span per request (see
 * {@link UpstreamTraceHeaders}), so these say in the trace what a client span per upstream call
 * would have. They are high-cardinality values: spans only, never metric tags. Unsampled requests
 * are left alone.
 */
public final class ServerSpanTags implements ObservationFilter {

	@Override
	public Observation.Context map(Observation.Context context) {
		if (context instanceof ServerRequestObservationContext server && recorded(server)) {
			Map<String, Object> attributes = server.getAttributes();
			if (attributes != null && attributes.containsKey(GATEWAY_HANDLER_MAPPER_ATTR)) {
				RoutedTo to = RoutedTo.of(attributes);
				tag(server, "meshgate.route", to.route());
				tag(server, "meshgate.backend", to.backend());
				tag(server, "meshgate.upstream", to.upstream());
				tag(server, "meshgate.endpoint", to.endpoint());
				tag(server, "meshgate.retries", Integer.toString(to.retries()));
			}
		}
		return context;
	}

	private static boolean recorded(Observation.Context context) {
		TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
		Span span = tracing == null ? null : tracing.getSpan();
		return span != null && !span.isNoop();
	}

	private static void tag(Observation.Context context, String key, String value) {
		if (value != null) {
			context.addHighCardinalityKeyValue(KeyValue.of(key, value));
		}
	}

}
