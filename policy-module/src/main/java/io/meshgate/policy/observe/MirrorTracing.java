package io.meshgate.policy.observe;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Observes the shadow copies the mirror sends: each copy is an observation
 * ({@code meshgate.mirror.duration}). With Micrometer Tracing its span is a child of the primary
 * request's server span, so it continues the client's trace; it is marked
 * {@code meshgate.shadow=true}, linked to the primary's span, and its context goes to the mirror in
 * the copy's {@code traceparent} header.
 */
public final class MirrorTracing {

	/** No observations: copies carry the client's own trace headers, unchanged. */
	public static final MirrorTracing OFF = new MirrorTracing(ObservationRegistry.NOOP);

	public static final String SHADOW_KEY = "meshgate.shadow";

	private final ObservationRegistry registry;

	public MirrorTracing(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The primary request's server span; {@link ServerTrace#NONE} when the request is not recorded.
	 * Read on the request path, when the copy is taken.
	 */
	public static ServerTrace primary(ServerWebExchange exchange) {
		RequestRecord record = RequestRecord.of(exchange);
		return record == null ? ServerTrace.NONE : record.trace();
	}

	/**
	 * Runs {@code call}, which sends the copy with {@code headers}, inside a shadow observation.
	 * The observation starts before the call, so that the tracing handler has written the trace
	 * context into {@code headers} by the time they are sent.
	 * @param status the status code of what the call emits, for the observation
	 */
	public <T> Mono<T> observe(ServerTrace primary, String route, String mirror, String uri, HttpHeaders headers,
			Supplier<Mono<T>> call, ToIntFunction<T> status) {
		if (registry.isNoop()) {
			return call.get();
		}
		return Mono.defer(() -> {
			ShadowContext context = new ShadowContext(headers, route, mirror, primary);
			context.setRemoteServiceName(mirror);
			context.setRemoteServiceAddress(uri);
			Observation observation = Observation
				.createNotStarted(MeshMetrics.MIRROR_DURATION, () -> context, registry)
				.contextualName("mirror " + mirror)
				.lowCardinalityKeyValue(KeyValue.of(MeshMetrics.ROUTE, route))
				.lowCardinalityKeyValue(KeyValue.of("mirror", mirror))
				.highCardinalityKeyValue(KeyValue.of(SHADOW_KEY, "true"));
			observation.start();
			return call.get().doOnNext(answer -> context.setResponse(status.applyAsInt(answer))).doOnError(observation::error).doFinally(signal -> observation.stop());
		});
	}

}
