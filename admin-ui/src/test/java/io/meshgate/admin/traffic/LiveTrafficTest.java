package io.meshgate.admin.traffic;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.grpc.GrpcStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The window over the gateway's request timers: rates, 5xx shares, percentiles, observed split, ageing out. */
class LiveTrafficTest {

	private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final RecordedRequests requests = new RecordedRequests(meters);

	private final AtomicLong nanos = new AtomicLong();

	private final LiveTraffic traffic = new LiveTraffic(meters, null, nanos::get);

	@Test
	void aWindowHasTheRateErrorShareLatencyAndSplitOfWhatHappenedInIt() {
		requests.send("shop", "shop-v1", 200, 3, Duration.ofMillis(5)); // before the first view: not in any window
		assertThat(traffic.view()).containsEntry("seconds", 0.0).containsEntry("routes", Map.of());

		requests.send("shop", "shop-v1", 200, 9, Duration.ofMillis(10));
		requests.send("shop", "shop-v2", 503, 1, Duration.ofMillis(100));
		nanos.set(Duration.ofSeconds(2).toNanos());
		Map<String, Object> view = traffic.view();

		assertThat(view).containsEntry("seconds", 2.0);
		Map<String, Object> shop = at(view, "routes", "shop");
		assertThat(shop).containsEntry("requests", 10L).containsEntry("rate", 5.0).containsEntry("errorShare", 0.1);
		// the buckets around 10 ms and 100 ms are about 2.2 ms and 22 ms wide
		assertThat((Double) shop.get("p50Ms")).isBetween(8.0, 11.2);
		assertThat((Double) shop.get("p99Ms")).isBetween(89.0, 111.9);
		assertThat(at(view, "routes", "shop", "backends", "shop-v1")).containsEntry("share", 0.9)
			.containsEntry("errorShare", 0.0).containsEntry("rate", 4.5);
		assertThat(at(view, "routes", "shop", "backends", "shop-v2")).containsEntry("share", 0.1)
			.containsEntry("errorShare", 1.0);
	}

	/** A gRPC call that failed is answered 200: its grpc-status makes it an error, a business code does not. */
	@Test
	void aFailedGrpcCallIsAnErrorThoughItsStatusIs200() {
		traffic.view();
		requests.sendGrpc("rpc", "rpc-v1", 200, GrpcStatus.OK, 6, Duration.ofMillis(2));
		requests.sendGrpc("rpc", "rpc-v1", 200, GrpcStatus.UNAVAILABLE, 3, Duration.ofMillis(2));
		requests.sendGrpc("rpc", "rpc-v1", 200, GrpcStatus.PERMISSION_DENIED, 1, Duration.ofMillis(2));
		nanos.set(Duration.ofSeconds(2).toNanos());

		assertThat(at(traffic.view(), "routes", "rpc")).containsEntry("requests", 10L).containsEntry("errorShare", 0.3);
	}

	@Test
	void trafficAgesOutOfTheWindowAndAPauseInViewingStartsAFreshOne() {
		traffic.view();
		requests.send("old", "old-v1", 200, 4, Duration.ofMillis(1));
		nanos.set(Duration.ofSeconds(2).toNanos());
		assertThat(at(traffic.view(), "routes", "old")).containsEntry("requests", 4L);

		// a view within a second of the last reading answers from that reading
		requests.send("old", "old-v1", 200, 1, Duration.ofMillis(1));
		nanos.set(Duration.ofMillis(2500).toNanos());
		assertThat(at(traffic.view(), "routes", "old")).containsEntry("requests", 4L);

		nanos.set(Duration.ofSeconds(13).toNanos());
		Map<String, Object> later = traffic.view();
		assertThat(later).containsEntry("seconds", 11.0);
		assertThat(at(later, "routes", "old")).containsEntry("requests", 1L);

		nanos.set(Duration.ofSeconds(60).toNanos());
		assertThat(traffic.view()).containsEntry("seconds", 0.0).containsEntry("routes", Map.of());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> at(Map<String, Object> view, String... keys) {
		Map<String, Object> node = view;
		for (String key : keys) {
			node = (Map<String, Object>) node.get(key);
		}
		return node;
	}

}
