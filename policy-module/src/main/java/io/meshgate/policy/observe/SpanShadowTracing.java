package io.meshgate.policy.observe;

import java.util.List;
import java.util.Map;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Shadow spans with Micrometer Tracing: each copy is a client span in the client's trace, child of
 * the gateway's span for the primary request and linked to it ({@code meshgate.link=primary}),
 * tagged {@code meshgate.shadow=true}. Trace headers the client sent are removed from the copy
 * before the shadow span's own are written, as for the primary call ({@link UpstreamTraceHeaders}).
 * The span is never made the current one, as the server span is not ({@link SpanServerTracing}).
 */
public final class SpanShadowTracing implements ShadowTracing {

	public static final String SHADOW_KEY = "meshgate.shadow";

	private static final Map<String, Object> PRIMARY_LINK = Map.of("meshgate.link", "primary");

	private final Tracer tracer;

	private final Propagator propagator;

	private final List<String> fields;

	public SpanShadowTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.fields = List.copyOf(propagator.fields());
	}

	@Override
	public ShadowTrace start(ServerTrace primary, String route, String mirror, String host, int port,
			HttpHeaders headers) {
		Span.Builder builder = tracer.spanBuilder().kind(Span.Kind.CLIENT).name("mirror " + mirror);
		if (primary instanceof SpanServerTracing.SpanTrace trace) {
			Span parent = trace.span();
			builder.setParent(parent.context()).addLink(new Link(parent, PRIMARY_LINK));
		}
		else {
			builder.setNoParent();
		}
		builder.remoteServiceName(mirror)
			.remoteIpAndPort(host, port)
			.tag(SHADOW_KEY, "true")
			.tag(MeshMetrics.ROUTE, route)
			.tag(MeshMetrics.MIRROR, mirror);
		Span span = builder.start();
		for (String field : fields) {
			headers.remove(field);
		}
		propagator.inject(span.context(), headers, (carrier, key, value) -> carrier.set(key, value));
		return (status, error) -> {
			if (!span.isNoop()) {
				if (status > 0) {
					span.tag(MeshMetrics.STATUS, Integer.toString(status));
				}
				if (error != null) {
					span.error(error);
				}
			}
			span.end();
		};
	}

}
