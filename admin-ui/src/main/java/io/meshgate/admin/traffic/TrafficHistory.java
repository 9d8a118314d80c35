package io.meshgate.admin.traffic;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * The gateway's traffic over the last {@link #SPAN}, one point every {@link #INTERVAL}, sampled on
 * the server whether or not anybody looks (so that a page opened after an incident shows it): per
 * route, requests (and their rate) in all and by backend, 5xx answers, p50 and p99; per upstream,
 * the same plus its breaker state and health verdict; per endpoint, calls and failed calls,
 * requests in flight and its state ({@code serving}, {@code ejected}, {@code down}).
 * <p>
 * A point is the difference of two {@link MeterReading}s, taken at each {@link #sample()}: its
 * rates are over the real time between them, so a late sample gives a longer interval, not a
 * wrong rate. The first sample only takes a reading.
 * <p>
 * Memory is bounded by the configuration: at most {@link #POINTS} points for each route of the
 * running configuration (each with a few numbers per backend that had requests in its interval), for
 * each running upstream and for each of its endpoints, plus one reading (one entry per
 * {@code meshgate.requests} timer and per endpoint). A route, upstream or endpoint that is no longer
 * running is dropped with its points at the next sample. With 100 routes of 2 backends and 50
 * upstreams of 3 endpoints that is 90 x 300 small records, well under a megabyte.
 */
public final class TrafficHistory implements AutoCloseable {

	private static final Log log = LogFactory.getLog(TrafficHistory.class);

	/** The time between two points. */
	public static final Duration INTERVAL = Duration.ofSeconds(10);

	/** How far back the history goes. */
	public static final Duration SPAN = Duration.ofMinutes(15);

	/** Points kept per route, upstream and endpoint. */
	static final int POINTS = (int) (SPAN.toMillis() / INTERVAL.toMillis());

	private final MeterRegistry meters;

	private final UpstreamRegistry upstreams;

	private final Supplier<MeshConfig> running;

	private final Clock clock;

	private final LongSupplier nanoClock;

	private MeterReading last;

	private final Map<String, ArrayDeque<RoutePoint>> routes = new HashMap<>();

	private final Map<String, UpstreamSeries> upstreamSeries = new HashMap<>();

	private Disposable sampling;

	/**
	 * @param meters the gateway's meters; {@code null} when it has none
	 * @param upstreams the running upstreams; {@code null} when there are none
	 * @param running the running configuration, whose routes have a history
	 * @param clock the time of points and the length of their intervals
	 * @param nanoClock the monotonic time the upstreams' ejections are kept in ({@link System#nanoTime()})
	 */
	public TrafficHistory(MeterRegistry meters, UpstreamRegistry upstreams, Supplier<MeshConfig> running, Clock clock,
			LongSupplier nanoClock) {
		this.meters = meters;
		this.upstreams = upstreams;
		this.running = running;
		this.clock = clock;
		this.nanoClock = nanoClock;
	}

	/** Samples now and every {@link #INTERVAL} on {@code scheduler}, until {@link #close()}. */
	public synchronized TrafficHistory start(Scheduler scheduler) {
		if (sampling == null) {
			sampling = scheduler.schedulePeriodically(this::sampleOrLog, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		}
		return this;
	}

	@Override
	public synchronized void close() {
		if (sampling != null) {
			sampling.dispose();
		}
	}

	private void sampleOrLog() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			// a periodic task that throws is never run again: the next sample may well succeed
			log.warn("Traffic history: a sample failed", ex);
		}
	}

	/** Takes a reading and adds the points of the interval since the last one. */
	public synchronized void sample() {
		long now = clock.millis();
		MeterReading reading = MeterReading.take(meters, upstreams, now);
		MeterReading base = last;
		last = reading;
		Set<String> routeIds = new HashSet<>();
		running.get().routes().stream().map(Route::id).forEach(routeIds::add);
		routes.keySet().retainAll(routeIds);
		Map<String, UpstreamRuntime> runtimes = new HashMap<>();
		if (upstreams != null) {
			upstreams.all().forEach(runtime -> runtimes.put(runtime.name(), runtime));
		}
		upstreamSeries.keySet().retainAll(runtimes.keySet());
		if (base == null || now <= base.at()) {
			return;
		}
		double seconds = (now - base.at()) / 1000.0;
		TrafficWindow window = reading.since(base);
		for (String id : routeIds) {
			add(routes.computeIfAbsent(id, r -> new ArrayDeque<>()), RoutePoint.of(now, seconds,
					window.routes().getOrDefault(id, new TrafficStats()), window.backends(id)));
		}
		long nowNanos = nanoClock.getAsLong();
		runtimes.forEach((name, runtime) -> sampleUpstream(
				upstreamSeries.computeIfAbsent(name, n -> new UpstreamSeries()), runtime, window, now, seconds, nowNanos));
	}

	private static void sampleUpstream(UpstreamSeries series, UpstreamRuntime runtime, TrafficWindow window, long now,
			double seconds, long nowNanos) {
		Set<String> addresses = new HashSet<>();
		int down = 0;
		int ejected = 0;
		for (UpstreamEndpoint endpoint : runtime.allEndpoints()) {
			addresses.add(endpoint.address());
			String state = UpstreamStates.endpoint(endpoint, nowNanos);
			down += UpstreamStates.DOWN.equals(state) ? 1 : 0;
			ejected += UpstreamStates.EJECTED.equals(state) ? 1 : 0;
			long[] calls = window.endpointCalls(runtime.name(), endpoint.address());
			add(series.endpoints.computeIfAbsent(endpoint.address(), a -> new ArrayDeque<>()),
					new EndpointPoint(now, seconds, calls[0], Math.min(calls[1], calls[0]), endpoint.inFlight(), state));
		}
		series.endpoints.keySet().retainAll(addresses);
		TrafficStats stats = window.upstream(runtime.name());
		String breaker = UpstreamStates.breaker(runtime);
		String verdict = UpstreamVerdict.of(addresses.size(), down, ejected, breaker, stats, seconds).verdict();
		add(series.points, new UpstreamPoint(now, Rates.of(stats, seconds), breaker, verdict));
	}

	private static <P> void add(ArrayDeque<P> points, P point) {
		points.addLast(point);
		while (points.size() > POINTS) {
			points.removeFirst();
		}
	}

	/** A route's history as JSON-ready maps, oldest point first; empty when no route has that id. */
	public synchronized Optional<Map<String, Object>> route(String id) {
		if (running.get().routes().stream().noneMatch(route -> route.id().equals(id))) {
			return Optional.empty();
		}
		Map<String, Object> view = header("route", id);
		view.put("points", views(routes.get(id), RoutePoint::view));
		return Optional.of(view);
	}

	/** An upstream's history and its endpoints', oldest point first; empty when no upstream of that name runs. */
	public synchronized Optional<Map<String, Object>> upstream(String name) {
		if (upstreams == null || upstreams.get(name) == null) {
			return Optional.empty();
		}
		UpstreamSeries series = upstreamSeries.getOrDefault(name, new UpstreamSeries());
		Map<String, Object> view = header("upstream", name);
		view.put("points", views(series.points, UpstreamPoint::view));
		Map<String, Object> endpoints = new LinkedHashMap<>();
		// in the upstream's own order, as the other pages list them
		for (UpstreamEndpoint endpoint : upstreams.get(name).allEndpoints()) {
			endpoints.put(endpoint.address(), views(series.endpoints.get(endpoint.address()), EndpointPoint::view));
		}
		view.put("endpoints", endpoints);
		return Optional.of(view);
	}

	/** Every point held, of routes, upstreams and endpoints together: what the memory bound counts. */
	synchronized int pointsHeld() {
		int points = routes.values().stream().mapToInt(ArrayDeque::size).sum();
		for (UpstreamSeries series : upstreamSeries.values()) {
			points += series.points.size() + series.endpoints.values().stream().mapToInt(ArrayDeque::size).sum();
		}
		return points;
	}

	private Map<String, Object> header(String kind, String name) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put(kind, name);
		view.put("interval", INTERVAL.toSeconds());
		view.put("span", SPAN.toSeconds());
		view.put("now", clock.millis());
		return view;
	}

	private static <P> List<Map<String, Object>> views(ArrayDeque<P> points, Function<P, Map<String, Object>> view) {
		List<Map<String, Object>> views = new ArrayList<>();
		if (points != null) {
			points.forEach(point -> views.add(view.apply(point)));
		}
		return views;
	}

	/** An upstream's points and its endpoints' by address. */
	private static final class UpstreamSeries {

		final ArrayDeque<UpstreamPoint> points = new ArrayDeque<>();

		final Map<String, ArrayDeque<EndpointPoint>> endpoints = new HashMap<>();

	}

	/** Requests and 5xx answers of one interval of {@code seconds}, their rates, p50 and p99 (null without requests). */
	private record Rates(double seconds, long requests, long errors, Double p50Ms, Double p99Ms) {

		static Rates of(TrafficStats stats, double seconds) {
			return new Rates(seconds, stats.requests(), stats.errors(), stats.percentileMillis(0.50),
					stats.percentileMillis(0.99));
		}

		void into(Map<String, Object> view) {
			view.put("seconds", TrafficStats.round(seconds));
			view.put("requests", requests);
			view.put("errors", errors);
			view.put("rate", TrafficStats.round(requests / seconds));
			view.put("errorRate", TrafficStats.round(errors / seconds));
			view.put("p50Ms", p50Ms == null ? null : TrafficStats.round(p50Ms));
			view.put("p99Ms", p99Ms == null ? null : TrafficStats.round(p99Ms));
		}

	}

	/**
	 * One interval of a route: its rates, and by backend (those that had requests) requests, 5xx
	 * answers, their rates and the backend's p99, which a rollout's page sets against its gates.
	 */
	private record RoutePoint(long at, Rates rates, Map<String, Rates> backends) {

		static RoutePoint of(long at, double seconds, TrafficStats stats, Map<String, TrafficStats> backends) {
			Map<String, Rates> byBackend = new LinkedHashMap<>();
			backends.forEach((backend, b) -> byBackend.put(backend, Rates.of(b, seconds)));
			return new RoutePoint(at, Rates.of(stats, seconds), byBackend);
		}

		Map<String, Object> view() {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("t", at);
			rates.into(view);
			Map<String, Object> byBackend = new LinkedHashMap<>();
			backends.forEach((backend, b) -> {
				Map<String, Object> backendView = new LinkedHashMap<>();
				b.into(backendView);
				backendView.remove("seconds");
				byBackend.put(backend, backendView);
			});
			view.put("backends", byBackend);
			return view;
		}

	}

	/** One interval of an upstream: its rates, and its breaker's state and health verdict at the end. */
	private record UpstreamPoint(long at, Rates rates, String breaker, String verdict) {

		Map<String, Object> view() {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("t", at);
			rates.into(view);
			view.put("breaker", breaker);
			view.put("verdict", verdict);
			return view;
		}

	}

	/** One interval of an endpoint: calls and failed calls, and its in-flight requests and state at the end. */
	private record EndpointPoint(long at, double seconds, long calls, long failed, int inFlight, String state) {

		Map<String, Object> view() {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("t", at);
			view.put("calls", calls);
			view.put("failed", failed);
			view.put("rate", TrafficStats.round(calls / seconds));
			view.put("errorRate", TrafficStats.round(failed / seconds));
			view.put("inFlight", inFlight);
			view.put("state", state);
			return view;
		}

	}

}
