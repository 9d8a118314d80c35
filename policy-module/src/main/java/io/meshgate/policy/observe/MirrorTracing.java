package io.meshgate.policy.observe;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REACTOR_CONTEXT_ATTR;

/**
 * Observes the shadow copies the mirror sends: each copy is an observation
 * ({@code meshgate.mirror.duration}) whose parent is the primary request's, so it continues the
 * client's trace. With Micrometer Tracing its span is marked {@code meshgate.shadow=true}, linked to
 * the primary request's span, and its context goes to the mirror in the copy's
 * {@code traceparent} header.
 */
public final class MirrorTracing {

	/** No observations: copies carry the client's own trace headers, unchanged. */
	public static final MirrorTracing OFF = new MirrorTracing(ObservationRegistry.NOOP);

	/** The key under which Micrometer puts the current observation in the Reactor context. */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	public static final String SHADOW_KEY = "meshgate.shadow";

	private final ObservationRegistry registry;

	public MirrorTracing(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The primary request's observation, as Spring Cloud Gateway's route mapping captured it, or
	 * {@code null}. Read on the request path, when the copy is taken.
	 */
	public static Observation primary(ServerWebExchange exchange) {
		ContextView context = exchange.getAttribute(GATEWAY_REACTOR_CONTEXT_ATTR);
		Object observation = context == null ? null : context.getOrDefault(OBSERVATION_KEY, null);
		return observation instanceof Observation o ? o : null;
	}

	/**
	 * Runs {@code call}, which sends the copy with {@code headers}, inside a shadow observation.
	 * The observation starts before the call, so that the tracing handler has written the trace
	 * context into {@code headers} by the time they are sent.
	 * @param status the status code of what the call emits, for the observation
	 */
	public <T> Mono<T> observe(Observation primary, String route, String mirror, String uri, HttpHeaders headers,
			Supplier<Mono<T>> call, ToIntFunction<T> status) {
		if (registry.isNoop()) {
			return call.get();
		}
		return Mono.defer(() -> {
			ShadowContext context = new ShadowContext(headers, route, mirror);
			context.setRemoteServiceName(mirror);
			context.setRemoteServiceAddress(uri);
			Observation observation = Observation
				.createNotStarted(MeshMetrics.MIRROR_DURATION, () -> context, registry)
				.contextualName("mirror " + mirror)
				.lowCardinalityKeyValue(KeyValue.of(MeshMetrics.ROUTE, route))
				.lowCardinalityKeyValue(KeyValue.of("mirror", mirror))
				.highCardinalityKeyValue(KeyValue.of(SHADOW_KEY, "true"));
			if (primary != null) {
				observation.parentObservation(primary);
			}
			observation.start();
			return call.get().doOnNext(answer -> context.setResponse(status.applyAsInt(answer))).doOnError(observation::error).doFinally(signal -> observation.stop());
		});
	}

}
