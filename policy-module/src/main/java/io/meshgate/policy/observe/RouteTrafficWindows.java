package io.meshgate.policy.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each route's traffic looked like over the last few minutes: requests per backend and per
 * status class, in {@value #BUCKETS} one-minute buckets per route. This is the canary split as
 * observed, next to the weights as configured. Memory is bounded: a fixed number of buckets per
 * route, at most {@value #MAX_ROUTES} routes; a route without traffic for the whole window is
 * forgotten when it is next read, or when room is needed for another route.
 */
public final class RouteTrafficWindows {

	public static final int BUCKETS = 5;

	public static final Duration BUCKET = Duration.ofMinutes(1);

	static final int MAX_ROUTES = 10_000;

	private final Clock clock;

	private final Map<String, Window> routes = new ConcurrentHashMap<>();

	public RouteTrafficWindows(Clock clock) {
		this.clock = clock;
	}

	/** Traffic of one route over the window: requests in total, per backend, per status class. */
	public record Observed(Duration window, long requests, Map<String, Long> backends, Map<String, Long> statuses) {

		static final Observed EMPTY = new Observed(BUCKET.multipliedBy(BUCKETS), 0, Map.of(), Map.of());

	}

	public void record(String route, String backend, String statusClass) {
		if (route == null) {
			return;
		}
		long minute = minute();
		Window window = routes.get(route);
		if (window == null) {
			if (routes.size() >= MAX_ROUTES) {
				// routes that were removed, or saw no traffic for the whole window, make room
				routes.values().removeIf(idle -> idle.idleSince(minute));
				if (routes.size() >= MAX_ROUTES) {
					return;
				}
			}
			window = routes.computeIfAbsent(route, id -> new Window());
		}
		window.record(minute, backend == null ? "none" : backend, statusClass);
	}

	public Observed observed(String route) {
		Window window = routes.get(route);
		if (window == null) {
			return Observed.EMPTY;
		}
		Observed observed = window.sum(minute());
		if (observed.requests() == 0) {
			routes.remove(route, window);
		}
		return observed;
	}

	private long minute() {
		return clock.millis() / BUCKET.toMillis();
	}

	private static final class Window {

		private final long[] minutes = new long[BUCKETS];

		@SuppressWarnings("unchecked")
		private final Map<String, long[]>[] backends = new Map[BUCKETS];

		@SuppressWarnings("unchecked")
		private final Map<String, long[]>[] statuses = new Map[BUCKETS];

		Window() {
			for (int i = 0; i < BUCKETS; i++) {
				minutes[i] = -1;
				backends[i] = new HashMap<>();
				statuses[i] = new HashMap<>();
			}
		}

		synchronized void record(long minute, String backend, String statusClass) {
			int i = (int) (minute % BUCKETS);
			if (minutes[i] != minute) {
				minutes[i] = minute;
				backends[i].clear();
				statuses[i].clear();
			}
			backends[i].computeIfAbsent(backend, b -> new long[1])[0]++;
			statuses[i].computeIfAbsent(statusClass, s -> new long[1])[0]++;
		}

		synchronized boolean idleSince(long minute) {
			for (long m : minutes) {
				if (m > minute - BUCKETS) {
					return false;
				}
			}
			return true;
		}

		synchronized Observed sum(long minute) {
			Map<String, Long> byBackend = new TreeMap<>();
			Map<String, Long> byStatus = new TreeMap<>();
			long requests = 0;
			for (int i = 0; i < BUCKETS; i++) {
				if (minutes[i] > minute - BUCKETS && minutes[i] <= minute) {
					for (Map.Entry<String, long[]> e : backends[i].entrySet()) {
						byBackend.merge(e.getKey(), e.getValue()[0], Long::sum);
						requests += e.getValue()[0];
					}
					statuses[i].forEach((status, n) -> byStatus.merge(status, n[0], Long::sum));
				}
			}
			return new Observed(BUCKET.multipliedBy(BUCKETS), requests, byBackend, byStatus);
		}

	}

}
