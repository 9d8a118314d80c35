package io.meshgate.policy.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code meshgate.requests}: a timer with a latency histogram per route, backend, upstream,
 * status class and gRPC status (empty for requests that are not gRPC calls). Timers are cached by their tags so that the request path does not build meters.
 */
public final class RequestMetrics {

	private final MeterRegistry meters;

	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	public RequestMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	private record Key(String route, String backend, String upstream, String status, String grpcStatus) {

	}

	public void record(RequestOutcome outcome) {
		Key key = new Key(tag(outcome.route()), tag(outcome.backend()), tag(outcome.upstream()),
				outcome.statusClass(), outcome.grpcStatusName());
		timers.computeIfAbsent(key, this::timer).record(outcome.durationNanos(), TimeUnit.NANOSECONDS);
	}

	private Timer timer(Key key) {
		return Timer.builder(MeshMetrics.REQUESTS)
			.description("Requests through the gateway, from arrival to the last byte of the answer")
			.tags(MeshMetrics.ROUTE, key.route(), MeshMetrics.BACKEND, key.backend(), MeshMetrics.UPSTREAM,
					key.upstream(), MeshMetrics.STATUS, key.status(), MeshMetrics.GRPC_STATUS, key.grpcStatus())
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(60))
			.register(meters);
	}

	private static String tag(String value) {
		return value == null ? "" : value;
	}

}
