package io.meshgate.admin.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
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

	private static final String SERVER_ERRORS = MeshMetrics.statusClass(500);

	private static final long[] NONE = { 0, 0 };

	private final MeterRegistry meters;

	private final UpstreamRegistry upstreams;

	private final LongSupplier nanoClock;

	private final List<Reading> readings = new ArrayList<>();

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
		if (readings.isEmpty() || now - readings.get(readings.size() - 1).atNanos >= SPACING.toNanos()) {
			readings.add(read(now));
		}
		Reading current = readings.get(readings.size() - 1);
		// the base is the newest reading at least a window old, or the oldest there is; a reading from
		// before a pause in viewing would average over the pause, so it goes
		while (readings.size() > 1 && (current.atNanos - readings.get(1).atNanos >= WINDOW.toNanos()
				|| current.atNanos - readings.get(0).atNanos > 2 * WINDOW.toNanos())) {
			readings.remove(0);
		}
		Reading base = readings.get(0);
		double seconds = (current.atNanos - base.atNanos) / 1e9;
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("seconds", TrafficStats.round(seconds));
		view.put("window", WINDOW.toSeconds());
		Windows windows = windows(base, current);
		view.put("routes", routes(windows, seconds));
		view.put("upstreams", upstreams(windows, base, current, seconds));
		return view;
	}

	private Reading read(long now) {
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
		return new Reading(now, timers, endpoints);
	}

	private static String tag(Timer timer, String name) {
		String value = timer.getId().getTag(name);
		return value == null ? "" : value;
	}

	private static String endpointKey(String upstream, String address) {
		return upstream + " " + address;
	}

	/** The window's traffic summed by route, by route and backend, and by upstream. */
	private record Windows(Map<String, TrafficStats> routes, Map<String, Map<String, TrafficStats>> backends,
			Map<String, TrafficStats> upstreams) {

	}

	private static Windows windows(Reading base, Reading current) {
		Windows windows = new Windows(new TreeMap<>(), new HashMap<>(), new HashMap<>());
		current.timers.forEach((key, now) -> {
			TimerReading before = base == current ? now : base.timers.get(key);
			long requests = before == null ? now.count : Math.max(0, now.count - before.count);
			if (requests == 0) {
				return;
			}
			double[] counts = new double[now.counts.length];
			for (int i = 0; i < counts.length; i++) {
				double earlier = before == null || before.counts.length != counts.length ? 0 : before.counts[i];
				counts[i] = Math.max(0, now.counts[i] - earlier);
			}
			long errors = key.failed() ? requests : 0;
			if (!key.route.isEmpty()) {
				windows.routes.computeIfAbsent(key.route, r -> new TrafficStats()).add(requests, errors, now.bounds, counts);
				windows.backends.computeIfAbsent(key.route, r -> new TreeMap<>())
					.computeIfAbsent(key.backend.isEmpty() ? "none" : key.backend, b -> new TrafficStats())
					.add(requests, errors, now.bounds, counts);
			}
			if (!key.upstream.isEmpty()) {
				windows.upstreams.computeIfAbsent(key.upstream, u -> new TrafficStats())
					.add(requests, errors, now.bounds, counts);
			}
		});
		return windows;
	}

	private static Map<String, Object> routes(Windows windows, double seconds) {
		Map<String, Object> routes = new LinkedHashMap<>();
		windows.routes.forEach((route, stats) -> {
			Map<String, Object> view = stats.view(seconds);
			Map<String, Object> backends = new LinkedHashMap<>();
			windows.backends.get(route).forEach((backend, b) -> {
				Map<String, Object> backendView = b.view(seconds);
				backendView.put("share", TrafficStats.round((double) b.requests() / stats.requests()));
				backends.put(backend, backendView);
			});
			view.put("backends", backends);
			routes.put(route, view);
		});
		return routes;
	}

	private Map<String, Object> upstreams(Windows windows, Reading base, Reading current, double seconds) {
		Map<String, Object> views = new LinkedHashMap<>();
		if (upstreams == null) {
			return views;
		}
		Map<String, Double> ejections = ejections();
		long now = nanoClock.getAsLong();
		for (UpstreamRuntime runtime : upstreams.all()) {
			TrafficStats stats = windows.upstreams.getOrDefault(runtime.name(), new TrafficStats());
			List<Map<String, Object>> endpoints = new ArrayList<>();
			int down = 0;
			int ejected = 0;
			for (UpstreamEndpoint endpoint : runtime.allEndpoints()) {
				String key = endpointKey(runtime.name(), endpoint.address());
				// an endpoint missing from the base joined since: its every call is in the window
				long[] was = base == current ? current.endpoints.get(key) : base.endpoints.getOrDefault(key, NONE);
				long[] is = current.endpoints.get(key);
				long calls = was == null || is == null ? 0 : Math.max(0, is[0] - was[0]);
				long failed = was == null || is == null ? 0 : Math.max(0, is[1] - was[1]);
				String state = !endpoint.health().checkedHealthy() ? "down"
						: endpoint.health().ejected(now) ? "ejected" : "serving";
				down += "down".equals(state) ? 1 : 0;
				ejected += "ejected".equals(state) ? 1 : 0;
				Map<String, Object> e = new LinkedHashMap<>();
				e.put("address", endpoint.address());
				e.put("state", state);
				e.put("calls", calls);
				e.put("rate", seconds > 0 ? TrafficStats.round(calls / seconds) : 0.0);
				e.put("errorShare", calls == 0 ? 0.0 : TrafficStats.round((double) Math.min(failed, calls) / calls));
				e.put("inFlight", endpoint.inFlight());
				e.put("ejections", Math.round(ejections.getOrDefault(key, 0.0)));
				endpoints.add(e);
			}
			String breaker = runtime.breaker() == null ? "none"
					: runtime.breaker().circuitBreaker().getState().name().toLowerCase(Locale.ROOT);
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
				ejections.merge(endpointKey(String.valueOf(counter.getId().getTag(MeshMetrics.UPSTREAM)),
						String.valueOf(counter.getId().getTag(MeshMetrics.ENDPOINT))), counter.count(), Double::sum);
			}
		}
		return ejections;
	}

	/** A timer's tags: one key per timer, so that no two timers' readings fall together. */
	private record TimerKey(String route, String backend, String upstream, String status, String grpcStatus) {

		/** A 5xx, or a failed gRPC call (answered 200, its grpc-status saying it failed). */
		boolean failed() {
			return SERVER_ERRORS.equals(status) || GrpcStatus.failure(grpcStatus);
		}

	}

	/** One timer's count and cumulative latency buckets (upper bounds in milliseconds). */
	private record TimerReading(long count, double[] bounds, double[] counts) {

	}

	/** The meters at one moment: timers by key, and each endpoint's calls and failed calls by upstream and address. */
	private record Reading(long atNanos, Map<TimerKey, TimerReading> timers, Map<String, long[]> endpoints) {

	}

}
