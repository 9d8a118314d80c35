package io.meshgate.policy.observe;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** The observed split: five one-minute buckets per route, older traffic falls out. */
class RouteTrafficWindowsTest {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:30Z"));

	private final RouteTrafficWindows windows = new RouteTrafficWindows(clock);

	@Test
	void countsRequestsPerBackendAndStatusClassOverTheLastFiveMinutes() {
		record("orders", "v1", "2xx", 9);
		record("orders", "v2", "2xx", 1);
		clock.advance(Duration.ofMinutes(1));
		record("orders", "v2", "5xx", 2);

		RouteTrafficWindows.Observed observed = windows.observed("orders");

		assertThat(observed.window()).isEqualTo(Duration.ofMinutes(5));
		assertThat(observed.requests()).isEqualTo(12);
		assertThat(observed.backends()).containsEntry("v1", 9L).containsEntry("v2", 3L).hasSize(2);
		assertThat(observed.statuses()).containsEntry("2xx", 10L).containsEntry("5xx", 2L).hasSize(2);
	}

	@Test
	void trafficOlderThanTheWindowIsForgotten() {
		record("orders", "v1", "2xx", 5);
		clock.advance(Duration.ofMinutes(2));
		record("orders", "v2", "2xx", 3);

		clock.advance(Duration.ofMinutes(3));
		assertThat(windows.observed("orders").backends()).containsOnlyKeys("v2");

		clock.advance(Duration.ofMinutes(2));
		assertThat(windows.observed("orders").requests()).isZero();
	}

	@Test
	void aBucketIsReusedOnlyForItsOwnMinute() {
		record("orders", "v1", "2xx", 4);
		clock.advance(Duration.ofMinutes(5));
		record("orders", "v2", "2xx", 1);

		assertThat(windows.observed("orders").backends()).containsOnlyKeys("v2");
	}

	@Test
	void routesAreKeptApartAndUnknownRoutesAreEmpty() {
		record("a", "x", "2xx", 1);

		assertThat(windows.observed("b").requests()).isZero();
		assertThat(windows.observed("a").requests()).isEqualTo(1);
	}

	@Test
	void routesBeyondTheLimitAreNotTrackedUntilIdleOnesMakeRoom() {
		for (int i = 0; i < RouteTrafficWindows.MAX_ROUTES; i++) {
			windows.record("r" + i, "x", "2xx");
		}
		windows.record("late", "x", "2xx");
		assertThat(windows.observed("late").requests()).isZero();

		clock.advance(Duration.ofMinutes(5));
		windows.record("late", "x", "2xx");
		assertThat(windows.observed("late").requests()).isEqualTo(1);
	}

	@Test
	void requestsWithoutARouteAreNotCounted() {
		windows.record(null, null, "4xx");

		assertThat(windows.observed("null").requests()).isZero();
	}

	private void record(String route, String backend, String status, int times) {
		for (int i = 0; i < times; i++) {
			windows.record(route, backend, status);
		}
	}

}
