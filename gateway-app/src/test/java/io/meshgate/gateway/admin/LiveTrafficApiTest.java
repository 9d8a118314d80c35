package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/traffic} over real sockets: what went through the ingress port in the last
 * seconds, per route, backend, upstream and endpoint, and an upstream whose only endpoint passes
 * every check but answers 502 reported as failing.
 */
class LiveTrafficApiTest extends AdminTestSupport {

	@Test
	void trafficOfTheLastSecondsPerRouteBackendUpstreamAndEndpointAndA502UpstreamFailing() {
		TestUpstream healthy = start("healthy");
		TestUpstream broken = start("broken").status(502);
		editor.post("/api/upstreams", upstream("healthy", healthy.url()), null);
		editor.post("/api/upstreams", upstream("broken", broken.url()), null);
		editor.post("/api/routes", Map.of("id", "live-api", "match", Map.of("path", "/live-api/**"), "backends",
				List.of(Map.of("upstream", "healthy", "weight", 3), Map.of("upstream", "broken", "weight", 1)), "canary",
				Map.of("overrideHeader", "x-to")), null);
		viewer().get("/api/traffic"); // the window starts

		// chosen by the override header, so that the counts are exact
		for (int i = 0; i < 40; i++) {
			int status = ingress.get("/live-api/" + i, Map.of("x-to", i % 4 == 3 ? "broken" : "healthy")).statusCode();
			assertThat(status).isEqualTo(i % 4 == 3 ? 502 : 200);
		}
		await().atMost(Duration.ofSeconds(8)).until(() -> at(viewer().get("/api/traffic").json(), "routes", "live-api") != null
				&& ((Number) at(viewer().get("/api/traffic").json(), "routes", "live-api").get("requests")).longValue() == 40);
		AdminClient.Answer answer = viewer().get("/api/traffic");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.response().headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
		Map<String, Object> traffic = answer.json();
		Map<String, Object> route = at(traffic, "routes", "live-api");
		assertThat(((Number) route.get("errorShare")).doubleValue()).isEqualTo(0.25);
		assertThat(((Number) route.get("rate")).doubleValue()).isPositive();
		assertThat(route.get("p50Ms")).isNotNull();
		assertThat(((Number) at(traffic, "routes", "live-api", "backends", "broken").get("requests")).longValue()).isEqualTo(10);
		assertThat(((Number) at(traffic, "routes", "live-api", "backends", "healthy").get("share")).doubleValue())
			.isEqualTo(0.75);

		Map<String, Object> brokenView = at(traffic, "upstreams", "broken");
		assertThat(at(traffic, "upstreams", "broken", "health"))
			.isEqualTo(Map.of("verdict", "failing", "reasons", List.of("100 % of 10 answers 5xx in the last "
					+ Math.round(((Number) traffic.get("seconds")).doubleValue()) + " s")));
		@SuppressWarnings("unchecked")
		Map<String, Object> endpoint = ((List<Map<String, Object>>) brokenView.get("endpoints")).get(0);
		assertThat(endpoint).containsEntry("address", broken.host() + ":" + broken.port()).containsEntry("state", "serving")
			.containsEntry("calls", 10).containsEntry("errorShare", 1.0).containsEntry("inFlight", 0);
		assertThat(at(traffic, "upstreams", "healthy", "health")).isEqualTo(Map.of("verdict", "ok", "reasons", List.of()));
	}

	@Test
	void onlySignedInUsersReadTraffic() {
		assertThat(AdminClient.anonymous(adminPort).get("/api/traffic").status()).isEqualTo(401);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> at(Map<String, Object> node, String... keys) {
		for (String key : keys) {
			node = node == null ? null : (Map<String, Object>) node.get(key);
		}
		return node;
	}

}
