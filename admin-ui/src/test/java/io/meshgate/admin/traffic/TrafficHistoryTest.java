package io.meshgate.admin.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.grpc.GrpcStatus;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.MutableClock;
import io.meshgate.policy.tls.UpstreamTlsFactory;
import io.meshgate.policy.upstream.GatewayPorts;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 15-minute history on a clock the test moves: one point per sample over the real interval,
 * rates by backend, errors and percentiles, endpoints' calls, in-flight requests and states, at
 * most 90 points each, and routes, upstreams and endpoints that stop running dropped.
 */
class TrafficHistoryTest {

	private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");

	private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final RecordedRequests requests = new RecordedRequests(meters);

	private final AtomicLong nanos = new AtomicLong();

	private final MutableClock clock = new MutableClock(START);

	private final UpstreamRegistry registry = new UpstreamRegistry(new UpstreamServices(null, new Random(1), nanos::get,
			meters, HttpClient::create, HttpClient::create,
			new UpstreamTlsFactory(HttpClient::create, meters, Clock.systemUTC(), Duration.ofHours(1)), new GatewayPorts()));

	private final AtomicReference<MeshConfig> running = new AtomicReference<>(MeshConfig.EMPTY);

	private final TrafficHistory history = new TrafficHistory(meters, registry, running::get, clock, nanos::get);

	@AfterEach
	void close() {
		history.close();
		registry.close();
	}

	@Test
	void eachSampleAddsThePointOfItsIntervalWithRatesByBackendErrorsAndPercentiles() throws Exception {
		run(config(Route.of("shop", "/shop/**", Backend.of("shop-v1", 9), Backend.of("shop-v2", 1))));
		requests.send("shop", "shop-v1", 200, 7, Duration.ofMillis(5)); // before the first reading: in no point
		history.sample();
		assertThat(points(history.route("shop").orElseThrow())).isEmpty();

		requests.send("shop", "shop-v1", 200, 18, Duration.ofMillis(10));
		requests.send("shop", "shop-v2", 503, 2, Duration.ofMillis(100));
		clock.advance(Duration.ofSeconds(10));
		history.sample();
		// a late sample: the rates are over the 20 s it really covers
		requests.send("shop", "shop-v1", 200, 40, Duration.ofMillis(10));
		clock.advance(Duration.ofSeconds(20));
		history.sample();

		Map<String, Object> view = history.route("shop").orElseThrow();
		assertThat(view).containsEntry("route", "shop").containsEntry("interval", 10L).containsEntry("span", 900L)
			.containsEntry("now", START.plusSeconds(30).toEpochMilli());
		List<Map<String, Object>> points = points(view);
		assertThat(points).hasSize(2);
		assertThat(points.get(0)).containsEntry("t", START.plusSeconds(10).toEpochMilli()).containsEntry("rate", 2.0)
			.containsEntry("errorRate", 0.2).containsEntry("requests", 20L).containsEntry("errors", 2L)
			.containsEntry("seconds", 10.0);
		// each backend's own numbers, which a rollout's page sets against its gates
		Map<String, Map<String, Object>> backends = backends(points.get(0));
		assertThat(backends).containsOnlyKeys("shop-v1", "shop-v2");
		assertThat(backends.get("shop-v1")).containsEntry("requests", 18L).containsEntry("rate", 1.8)
			.containsEntry("errors", 0L).containsEntry("errorRate", 0.0);
		assertThat(backends.get("shop-v2")).containsEntry("requests", 2L).containsEntry("rate", 0.2)
			.containsEntry("errors", 2L).containsEntry("errorRate", 0.2);
		assertThat((Double) backends.get("shop-v1").get("p99Ms")).isBetween(8.0, 11.2);
		assertThat((Double) backends.get("shop-v2").get("p99Ms")).isBetween(89.0, 111.9);
		// the buckets around 10 ms and 100 ms are about 2.2 ms and 22 ms wide
		assertThat((Double) points.get(0).get("p50Ms")).isBetween(8.0, 11.2);
		assertThat((Double) points.get(0).get("p99Ms")).isBetween(89.0, 111.9);
		assertThat(points.get(1)).containsEntry("t", START.plusSeconds(30).toEpochMilli()).containsEntry("rate", 2.0)
			.containsEntry("errorRate", 0.0).containsEntry("seconds", 20.0);
		assertThat(backends(points.get(1))).containsOnlyKeys("shop-v1");
		assertThat(backends(points.get(1)).get("shop-v1")).containsEntry("requests", 40L).containsEntry("rate", 2.0)
			.containsEntry("errors", 0L);
	}

	@Test
	void aQuietRouteHasPointsOfNothingAndAFailedGrpcCallIsAnError() {
		run(config(Route.of("quiet", "/quiet/**", Backend.of("shop-v1", 1)),
				Route.of("rpc", "/rpc/**", Backend.of("shop-v1", 1))));
		history.sample();
		requests.sendGrpc("rpc", "shop-v1", 200, GrpcStatus.UNAVAILABLE, 5, Duration.ofMillis(1));
		requests.sendGrpc("rpc", "shop-v1", 200, GrpcStatus.OK, 5, Duration.ofMillis(1));
		clock.advance(Duration.ofSeconds(10));
		history.sample();

		assertThat(points(history.route("quiet").orElseThrow())).singleElement()
			.satisfies(p -> assertThat(p).containsEntry("rate", 0.0).containsEntry("errorRate", 0.0)
				.containsEntry("p50Ms", null).containsEntry("backends", Map.of()));
		assertThat(points(history.route("rpc").orElseThrow())).singleElement()
			.satisfies(p -> assertThat(p).containsEntry("rate", 1.0).containsEntry("errorRate", 0.5));
	}

	@Test
	void endpointsHaveTheirCallsFailuresInFlightAndStateAndTheUpstreamItsBreakerAndVerdict() throws Exception {
		run(config(Route.of("shop", "/shop/**", Backend.of("shop-v1", 1))));
		history.sample();
		List<UpstreamEndpoint> endpoints = registry.get("shop-v1").allEndpoints();
		calls(endpoints.get(0), 30, 30);
		calls(endpoints.get(1), 10, 0);
		endpoints.get(1).requestStarted(); // still in flight at the sample
		requests.send("shop", "shop-v1", 502, 30, Duration.ofMillis(1));
		requests.send("shop", "shop-v1", 200, 10, Duration.ofMillis(1));
		clock.advance(Duration.ofSeconds(10));
		history.sample();

		Map<String, Object> view = history.upstream("shop-v1").orElseThrow();
		assertThat(points(view)).singleElement()
			.satisfies(p -> assertThat(p).containsEntry("rate", 4.0).containsEntry("errorRate", 3.0)
				.containsEntry("breaker", "none").containsEntry("verdict", "failing"));
		@SuppressWarnings("unchecked")
		Map<String, List<Map<String, Object>>> byAddress = (Map<String, List<Map<String, Object>>>) view.get("endpoints");
		assertThat(byAddress).containsOnlyKeys("127.0.0.1:9001", "127.0.0.1:9002");
		assertThat(byAddress.get("127.0.0.1:9001")).singleElement()
			.isEqualTo(Map.of("t", START.plusSeconds(10).toEpochMilli(), "calls", 30L, "failed", 30L, "rate", 3.0,
					"errorRate", 3.0, "inFlight", 0, "state", "serving"));
		assertThat(byAddress.get("127.0.0.1:9002")).singleElement()
			.satisfies(p -> assertThat(p).containsEntry("calls", 11L).containsEntry("rate", 1.1).containsEntry("errorRate", 0.0)
				.containsEntry("inFlight", 1));

		// ejected by outlier detection: the next point says so
		endpoints.get(0).health().eject(nanos.get(), Duration.ofSeconds(30).toNanos());
		clock.advance(Duration.ofSeconds(10));
		history.sample();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> first = ((Map<String, List<Map<String, Object>>>) history.upstream("shop-v1")
			.orElseThrow()
			.get("endpoints")).get("127.0.0.1:9001");
		assertThat(first).extracting(p -> p.get("state")).containsExactly("serving", "ejected");
	}

	@Test
	void atMostNinetyPointsEachAndWhatStopsRunningIsDropped() throws Exception {
		run(config(Route.of("shop", "/shop/**", Backend.of("shop-v1", 1)),
				Route.of("gone", "/gone/**", Backend.of("shop-v1", 1))));
		for (int i = 0; i <= 100; i++) {
			requests.send("shop", "shop-v1", 200, 1, Duration.ofMillis(1));
			history.sample();
			clock.advance(TrafficHistory.INTERVAL);
		}
		List<Map<String, Object>> points = points(history.route("shop").orElseThrow());
		assertThat(points).hasSize(TrafficHistory.POINTS).hasSize(90);
		// the newest 90 of 100 points: the oldest ten aged out
		assertThat(points.get(0)).containsEntry("t", START.plusSeconds(110).toEpochMilli());
		// two routes; shop-v1 and its two endpoints; shop-v2 and its one
		assertThat(history.pointsHeld()).isEqualTo(7 * 90);

		// the route "gone", the endpoint 9002 and the upstream shop-v2 leave the configuration
		running.set(new MeshConfig(List.of(Upstream.of("shop-v1", "http://127.0.0.1:9001")),
				List.of(Route.of("shop", "/shop/**", Backend.of("shop-v1", 1)))));
		registry.apply(running.get().upstreams()).close();
		history.sample();
		assertThat(history.route("gone")).isEmpty();
		assertThat(history.upstream("shop-v1").orElseThrow().get("endpoints")).isEqualTo(
				Map.of("127.0.0.1:9001", ((Map<?, ?>) history.upstream("shop-v1").orElseThrow().get("endpoints"))
					.get("127.0.0.1:9001")));
		assertThat(history.upstream("shop-v2")).isEmpty();
		// the points of shop, shop-v1 and 9001 (one new point each, the oldest gone)
		assertThat(history.pointsHeld()).isEqualTo(3 * 90);

		// everything goes: nothing is kept
		run(MeshConfig.EMPTY);
		history.sample();
		assertThat(history.upstream("shop-v1")).isEmpty();
		assertThat(history.route("shop")).isEmpty();
		assertThat(history.pointsHeld()).isZero();
	}

	private static MeshConfig config(Route... routes) {
		return new MeshConfig(List.of(Upstream.of("shop-v1", "http://127.0.0.1:9001", "http://127.0.0.1:9002"),
				Upstream.of("shop-v2", "http://127.0.0.1:9003")), List.of(routes));
	}

	private void run(MeshConfig config) {
		running.set(config);
		try {
			registry.apply(config.upstreams()).close();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void calls(UpstreamEndpoint endpoint, int calls, int failed) {
		for (int i = 0; i < calls; i++) {
			endpoint.requestStarted();
			endpoint.requestFinished(i < failed);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> points(Map<String, Object> view) {
		return (List<Map<String, Object>>) view.get("points");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> backends(Map<String, Object> point) {
		return (Map<String, Map<String, Object>>) point.get("backends");
	}

}
