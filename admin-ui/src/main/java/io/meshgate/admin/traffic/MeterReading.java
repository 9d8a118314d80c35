package io.meshgate.admin.traffic;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.grpc.GrpcStatus;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * The gateway's cumulative traffic meters at one moment: every {@code meshgate.requests} timer's
 * count and latency buckets, and every endpoint's calls and failed calls. The meters only grow, so
 * what happened between two readings is their difference ({@link #since}). One entry per timer
 * and per endpoint: a reading's size is bounded by the configuration.
 *
 * @param at when it was taken, in the unit of whoever took it
 * @param timers timer readings by the timer's tags
 * @param endpoints each endpoint's {calls, failed calls} by {@link #endpointKey}
 */
record MeterReading(long at, Map<TimerKey, TimerReading> timers, Map<String, long[]> endpoints) {

	private static final String SERVER_ERRORS = MeshMetrics.statusClass(500);

	private static final long[] NONE = { 0, 0 };

	/** Reads the meters now; {@code meters} or {@code upstreams} may be {@code null} (nothing to read). */
	static MeterReading take(MeterRegistry meters, UpstreamRegistry upstreams, long at) {
		Map<TimerKey, TimerReading> timers = new HashMap<>();
		if (meters != null) {
			for (Timer timer : meters.find(MeshMetrics.REQUESTS).timers()) {
				TimerKey key = new TimerKey(tag(timer, MeshMetrics.ROUTE), tag(timer, MeshMetrics.BACKEND),
						tag(timer, MeshMetrics.UPSTREAM), tag(timer, MeshMetrics.STATUS), tag(timer, MeshMetrics.GRPC_STATUS));
				HistogramSnapshot snapshot = timer.takeSnapshot();
				CountAtBucket[] buckets = snapshot.histogramCounts();
				double[] bounds = new double[buckets.length];
				double[] counts = new double[buckets.length];
				for (int i = 0; i < buckets.length; i++) {
					bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
					counts[i] = buckets[i].count();
				}
				timers.put(key, new TimerReading(snapshot.count(), bounds, counts));
			}
		}
		Map<String, long[]> endpoints = new HashMap<>();
		if (upstreams != null) {
			for (UpstreamRuntime runtime : upstreams.all()) {
				for (UpstreamEndpoint endpoint : runtime.allEndpoints()) {
					endpoints.put(endpointKey(runtime.name(), endpoint.address()),
							new long[] { endpoint.calls(), endpoint.failedCalls() });
				}
			}
		}
		return new MeterReading(at, timers, endpoints);
	}

	private static String tag(Timer timer, String name) {
		String value = timer.getId().getTag(name);
		return value == null ? "" : value;
	}

	static String endpointKey(String upstream, String address) {
		return upstream + " " + address;
	}

	/**
	 * What happened between {@code base} and this reading, summed by route, by route and backend,
	 * and by upstream. A timer missing from the base started since: its every request is in the
	 * window. {@code base == this} gives the totals so far.
	 */
	TrafficWindow since(MeterReading base) {
		TrafficWindow window = new TrafficWindow(base, this);
		timers.forEach((key, now) -> {
			TimerReading before = base == this ? now : base.timers.get(key);
			long requests = before == null ? now.count : Math.max(0, now.count - before.count);
			if (requests == 0) {
				return;
			}
			double[] counts = new double[now.counts.length];
			for (int i = 0; i < counts.length; i++) {
				double earlier = before == null || before.counts.length != counts.length ? 0 : before.counts[i];
				counts[i] = Math.max(0, now.counts[i] - earlier);
			}
			window.add(key.route, key.backend, key.upstream, requests, key.failed() ? requests : 0, now.bounds, counts);
		});
		return window;
	}

	/**
	 * An endpoint's {calls, failed calls} between {@code base} and this reading; {0, 0} when it is
	 * in neither. An endpoint missing from the base joined since: its every call is in the window.
	 */
	long[] endpointCalls(MeterReading base, String upstream, String address) {
		String key = endpointKey(upstream, address);
		long[] is = endpoints.get(key);
		long[] was = base == this ? is : base.endpoints.getOrDefault(key, NONE);
		if (is == null || was == null) {
			return NONE.clone();
		}
		return new long[] { Math.max(0, is[0] - was[0]), Math.max(0, is[1] - was[1]) };
	}

	/** A timer's tags: one key per timer, so that no two timers' readings fall together. */
	record TimerKey(String route, String backend, String upstream, String status, String grpcStatus) {

		/** A 5xx, or a failed gRPC call (answered 200, its grpc-status saying it failed). */
		boolean failed() {
			return SERVER_ERRORS.equals(status) || GrpcStatus.failure(grpcStatus);
		}

	}

	/** One timer's count and cumulative latency buckets (upper bounds in milliseconds). */
	record TimerReading(long count, double[] bounds, double[] counts) {

	}

}
