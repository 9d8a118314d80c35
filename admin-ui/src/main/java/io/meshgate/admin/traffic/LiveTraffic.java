package io.meshgate.admin.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * What the gateway's traffic looks like now, from its own meters: per route, per route and
 * backend, per upstream and per endpoint, the request rate, the error share (5xx, or a failed gRPC
 * call: UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL) and latency (p50, p99) over the last
 * {@link #WINDOW}, and each upstream's health from checks, ejections, breaker and errors together
 * ({@link UpstreamVerdict}).
 * <p>
 * The meters only grow ({@code meshgate.requests} timers with cumulative latency buckets, as the
 * Prometheus registry keeps them; the endpoints' call counts), so a window is the difference of
 * two readings. A reading is taken when the view is asked for and the newest is at least
 * {@link #SPACING} old; readings older than the window needs are dropped. Nothing runs while
 * nobody looks, several viewers share readings, and memory and work per view are bounded by the
 * configuration (one entry per meter and endpoint, at most {@code WINDOW / SPACING + 2} readings).
 * The first view after a pause has no window yet ({@code seconds} 0): the next one has.
 */
public final class LiveTraffic {

	/** The window rates, shares and percentiles are taken over. */
	public static final Duration WINDOW = Duration.ofSeconds(10);

	/** The least time between two readings. */
	static final Duration SPACING = Duration.ofSeconds(1);

	private final MeterRegistry meters;

	private final UpstreamRegistry upstreams;

	private final LongSupplier nanoClock;

	private final List<MeterReading> readings = new ArrayList<>();

	/**
	 * @param meters the gateway's meters; {@code null} when it has none
	 * @param upstreams the running upstreams; {@code null} when there are none
	 * @param nanoClock {@link System#nanoTime()}, or a test's clock
	 */
	public LiveTraffic(MeterRegistry meters, UpstreamRegistry upstreams, LongSupplier nanoClock) {
		this.meters = meters;
		this.upstreams = upstreams;
		this.nanoClock = nanoClock;
	}

	/** The traffic of the window that ends now, as JSON-ready maps. */
	public synchronized Map<String, Object> view() {
		long now = nanoClock.getAsLong();
		if (readings.isEmpty() || now - readings.get(readings.size() - 1).at() >= SPACING.toNanos()) {
			readings.add(MeterReading.take(meters, upstreams, now));
		}
		MeterReading current = readings.get(readings.size() - 1);
		// the base is the newest reading at least a window old, or the oldest there is; a reading from
		// before a pause in viewing would average over the pause, so it goes
		while (readings.size() > 1 && (current.at() - readings.get(1).at() >= WINDOW.toNanos()
				|| current.at() - readings.get(0).at() > 2 * WINDOW.toNanos())) {
			readings.remove(0);
		}
		MeterReading base = readings.get(0);
		double seconds = (current.at() - base.at()) / 1e9;
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("seconds", TrafficStats.round(seconds));
		view.put("window", WINDOW.toSeconds());
		TrafficWindow window = current.since(base);
		view.put("routes", routes(window, seconds));
		view.put("upstreams", upstreams(window, seconds));
		return view;
	}

	private static Map<String, Object> routes(TrafficWindow window, double seconds) {
		Map<String, Object> routes = new LinkedHashMap<>();
		window.routes().forEach((route, stats) -> {
			Map<String, Object> view = stats.view(seconds);
			Map<String, Object> backends = new LinkedHashMap<>();
			window.backends(route).forEach((backend, b) -> {
				Map<String, Object> backendView = b.view(seconds);
				backendView.put("share", TrafficStats.round((double) b.requests() / stats.requests()));
				backends.put(backend, backendView);
			});
			view.put("backends", backends);
			routes.put(route, view);
		});
		return routes;
	}

	private Map<String, Object> upstreams(TrafficWindow window, double seconds) {
		Map<String, Object> views = new LinkedHashMap<>();
		if (upstreams == null) {
			return views;
		}
		Map<String, Double> ejections = ejections();
		long now = nanoClock.getAsLong();
		for (UpstreamRuntime runtime : upstreams.all()) {
			TrafficStats stats = window.upstream(runtime.name());
			List<Map<String, Object>> endpoints = new ArrayList<>();
			int down = 0;
			int ejected = 0;
			for (UpstreamEndpoint endpoint : runtime.allEndpoints()) {
				long[] callsAndFailed = window.endpointCalls(runtime.name(), endpoint.address());
				long calls = callsAndFailed[0];
				long failed = callsAndFailed[1];
				String state = UpstreamStates.endpoint(endpoint, now);
				down += UpstreamStates.DOWN.equals(state) ? 1 : 0;
				ejected += UpstreamStates.EJECTED.equals(state) ? 1 : 0;
				Map<String, Object> e = new LinkedHashMap<>();
				e.put("address", endpoint.address());
				e.put("state", state);
				e.put("calls", calls);
				e.put("rate", seconds > 0 ? TrafficStats.round(calls / seconds) : 0.0);
				e.put("errorShare", calls == 0 ? 0.0 : TrafficStats.round((double) Math.min(failed, calls) / calls));
				e.put("inFlight", endpoint.inFlight());
				String key = MeterReading.endpointKey(runtime.name(), endpoint.address());
				e.put("ejections", Math.round(ejections.getOrDefault(key, 0.0)));
				endpoints.add(e);
			}
			String breaker = UpstreamStates.breaker(runtime);
			Map<String, Object> view = stats.view(seconds);
			view.put("health", UpstreamVerdict.of(endpoints.size(), down, ejected, breaker, stats, seconds).view());
			view.put("breaker", breaker);
			view.put("endpoints", endpoints);
			views.put(runtime.name(), view);
		}
		return views;
	}

	/** Ejections so far by endpoint, from outlier detection's counter. */
	private Map<String, Double> ejections() {
		Map<String, Double> ejections = new HashMap<>();
		if (meters != null) {
			for (Counter counter : meters.find(MeshMetrics.OUTLIER_EJECTIONS).counters()) {
				ejections.merge(MeterReading.endpointKey(String.valueOf(counter.getId().getTag(MeshMetrics.UPSTREAM)),
						String.valueOf(counter.getId().getTag(MeshMetrics.ENDPOINT))), counter.count(), Double::sum);
			}
		}
		return ejections;
	}

}
