package io.meshgate.policy.observe;

import java.net.URI;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The span of a shadow copy: a client span in the client's trace, child of the gateway's span
 * for the primary request and linked to it ({@code meshgate.link=primary}), tagged
 * {@code meshgate.shadow=true}. Trace headers the client sent are removed from the copy before
 * the shadow span's own are written, as Spring Cloud Gateway does for the primary call.
 */
public final class ShadowSenderTracingObservationHandler extends PropagatingSenderTracingObservationHandler<ShadowContext> {

	private final Propagator propagator;

	public ShadowSenderTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
		this.propagator = propagator;
	}

	@Override
	public void onStart(ShadowContext context) {
		propagator.fields().forEach(field -> context.getCarrier().remove(field));
		super.onStart(context);
	}

	@Override
	public Span createSenderSpan(ShadowContext context) {
		Span primary = context.primary() instanceof SpanServerTracing.SpanTrace trace ? trace.span()
				: getParentSpan(context);
		Span.Builder builder = getTracer().spanBuilder().kind(Span.Kind.CLIENT);
		if (primary != null) {
			builder.setParent(primary.context()).addLink(new Link(primary, Map.of("meshgate.link", "primary")));
		}
		builder.remoteServiceName(context.mirror()).tag(MirrorTracing.SHADOW_KEY, "true");
		String address = context.getRemoteServiceAddress();
		if (address != null) {
			URI uri = URI.create(address);
			if (uri.getHost() != null) {
				builder.remoteIpAndPort(uri.getHost(), uri.getPort());
			}
		}
		return builder.start();
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ShadowContext;
	}

}
