package io.meshgate.policy.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Records the shadow copies the mirror sends: each copy's time in {@code meshgate.mirror.duration}
 * (by route, mirror and error) and, with tracing, its shadow span ({@link ShadowTracing}), whose
 * context the copy carries in its headers. Recorded directly, as requests are
 * ({@link RequestRecording}), not through an observation, which costs about 3 KB and a few
 * microseconds more per copy (docs/design/request-recording.md).
 */
public final class MirrorRecording {

	/** Nothing recorded: copies carry the client's own trace headers, unchanged. */
	public static final MirrorRecording OFF = new MirrorRecording(null, ShadowTracing.NONE);

	private static final String NO_ERROR = "none";

	private final MeterRegistry meters;

	private final ShadowTracing tracing;

	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	/** @param meters where {@code meshgate.mirror.duration} goes, or {@code null} for no timer */
	public MirrorRecording(MeterRegistry meters, ShadowTracing tracing) {
		this.meters = meters;
		this.tracing = tracing;
	}

	private record Key(String route, String mirror, String error) {

	}

	/**
	 * Sends a copy with {@code call}, recorded. The shadow span starts before the call, so that its
	 * trace context is in {@code headers} by the time they are sent.
	 * @param primary the primary request's server span
	 * @param status the status code of what the call emits
	 */
	public <T> Mono<T> record(ServerTrace primary, String route, String mirror, String host, int port,
			HttpHeaders headers, Supplier<Mono<T>> call, ToIntFunction<T> status) {
		if (meters == null && tracing == ShadowTracing.NONE) {
			return call.get();
		}
		return Mono.defer(() -> {
			Copy copy = new Copy(route, mirror, tracing.start(primary, route, mirror, host, port, headers));
			return call.get()
				.doOnNext(answer -> copy.status = status.applyAsInt(answer))
				.doOnError(error -> copy.error = error)
				.doFinally(signal -> copy.end());
		});
	}

	/** One copy's record, filled in as its answer comes. */
	private final class Copy {

		private final String route;

		private final String mirror;

		private final ShadowTrace trace;

		private final long start = System.nanoTime();

		private int status;

		private Throwable error;

		Copy(String route, String mirror, ShadowTrace trace) {
			this.route = route;
			this.mirror = mirror;
			this.trace = trace;
		}

		void end() {
			long nanos = System.nanoTime() - start;
			if (meters != null) {
				String errorName = error == null ? NO_ERROR : error.getClass().getSimpleName();
				timers.computeIfAbsent(new Key(route, mirror, errorName), MirrorRecording.this::timer)
					.record(nanos, TimeUnit.NANOSECONDS);
			}
			trace.end(status, error);
		}

	}

	private Timer timer(Key key) {
		return Timer.builder(MeshMetrics.MIRROR_DURATION)
			.description("Shadow copies sent by the mirror, from sending to the last byte of the answer")
			.tags(MeshMetrics.ROUTE, key.route(), MeshMetrics.MIRROR, key.mirror(), MeshMetrics.ERROR, key.error())
			.register(meters);
	}

}
