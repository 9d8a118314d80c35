package io.meshgate.gateway.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.gateway.testing.AdminClient;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/traffic/history} over real sockets: the server samples every 10 s whether or not
 * anybody looks, so requests sent now are in the points of the next samples, exactly counted, per
 * route and backend, per upstream and per endpoint; unknown names are answered 404 with a fixed
 * text that does not echo them.
 */
class TrafficHistoryApiTest extends AdminTestSupport {

	/** Two samples apart at most, and a margin for a loaded machine. */
	private static final Duration TWO_SAMPLES = Duration.ofSeconds(30);

	@Test
	void theRequestsOfTheLastMinutesArePointsOfTheRouteTheUpstreamAndItsEndpoint() {
		TestUpstream healthy = start("hist-ok");
		TestUpstream broken = start("hist-bad").status(502);
		editor.post("/api/upstreams", upstream("hist-ok", healthy.url()), null);
		editor.post("/api/upstreams", upstream("hist-bad", broken.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "hist", "match", Map.of("path", "/hist/**"), "backends",
				List.of(Map.of("upstream", "hist-ok", "weight", 3), Map.of("upstream", "hist-bad", "weight", 1)),
				"canary", Map.of("overrideHeader", "x-to")), null).status()).isEqualTo(200);

		// chosen by the override header, so that the counts are exact
		for (int i = 0; i < 40; i++) {
			ingress.get("/hist/" + i, Map.of("x-to", i % 4 == 3 ? "hist-bad" : "hist-ok"));
		}
		await().atMost(TWO_SAMPLES).until(() -> sum(points(history("route=hist")), "requests") == 40);

		AdminClient.Answer answer = viewer().get("/api/traffic/history?route=hist");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.response().headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
		Map<String, Object> route = answer.json();
		assertThat(route).containsEntry("route", "hist").containsEntry("interval", 10).containsEntry("span", 900);
		List<Map<String, Object>> points = points(route);
		assertThat(sum(points, "errors")).isEqualTo(10);
		assertThat(points.stream().mapToLong(p -> backend(p, "hist-ok")).sum()).isEqualTo(30);
		assertThat(points.stream().mapToLong(p -> backend(p, "hist-bad")).sum()).isEqualTo(10);
		assertThat(points).allSatisfy(p -> assertThat(p).containsKeys("t", "rate", "errorRate", "p50Ms", "p99Ms"));

		await().atMost(TWO_SAMPLES).until(() -> sum(endpoint(history("upstream=hist-bad"), broken), "calls") == 10);
		Map<String, Object> upstream = history("upstream=hist-bad");
		assertThat(sum(points(upstream), "errors")).isEqualTo(10);
		assertThat(points(upstream)).filteredOn(p -> ((Number) p.get("requests")).longValue() > 0)
			.allSatisfy(p -> assertThat(p).containsEntry("verdict", "failing").containsEntry("breaker", "none"));
		assertThat(sum(endpoint(upstream, broken), "failed")).isEqualTo(10);
		assertThat(endpoint(upstream, broken)).allSatisfy(p -> assertThat(p).containsEntry("state", "serving")
			.containsEntry("inFlight", 0));
	}

	@Test
	void unknownNamesAre404WithAFixedTextAndTheQueryMustNameOneThing() {
		String name = "<img src=x onerror=alert(1)>";
		AdminClient viewer = viewer();
		AdminClient.Answer route = viewer.get("/api/traffic/history?route=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
		assertThat(route.status()).isEqualTo(404);
		assertThat(route.json()).containsEntry("message", "no route of that id is running");
		AdminClient.Answer upstream = viewer.get("/api/traffic/history?upstream=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
		assertThat(upstream.status()).isEqualTo(404);
		assertThat(upstream.json()).containsEntry("message", "no upstream of that name is running");
		assertThat(route.body() + upstream.body()).doesNotContain("img").doesNotContain("onerror");

		assertThat(viewer.get("/api/traffic/history").status()).isEqualTo(400);
		AdminClient.Answer both = viewer.get("/api/traffic/history?route=a&upstream=b");
		assertThat(both.status()).isEqualTo(400);
		assertThat(both.json()).containsEntry("message", "query: (expected: route=ID or upstream=NAME, one of them)");
		assertThat(AdminClient.anonymous(adminPort).get("/api/traffic/history?route=a").status()).isEqualTo(401);
	}

	@Test
	void aConfiguredRouteWithoutTrafficHasAHistoryOfQuietPoints() {
		TestUpstream server = start("hist-quiet");
		editor.post("/api/upstreams", upstream("hist-quiet", server.url()), null);
		editor.post("/api/routes", route("hist-quiet", "/hist-quiet/**", Map.of("hist-quiet", 1)), null);
		AdminClient.Answer answer = viewer().get("/api/traffic/history?route=hist-quiet");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(points(answer.json())).allSatisfy(p -> assertThat(p).containsEntry("requests", 0));
	}

	private Map<String, Object> history(String query) {
		return viewer().get("/api/traffic/history?" + query).json();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> points(Map<String, Object> history) {
		return (List<Map<String, Object>>) history.getOrDefault("points", List.of());
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> endpoint(Map<String, Object> history, TestUpstream server) {
		return ((Map<String, List<Map<String, Object>>>) history.get("endpoints")).getOrDefault(server.host() + ":" + server.port(),
				List.of());
	}

	static long sum(List<Map<String, Object>> points, String key) {
		return points.stream().mapToLong(p -> ((Number) p.get(key)).longValue()).sum();
	}

	@SuppressWarnings("unchecked")
	private static long backend(Map<String, Object> point, String backend) {
		Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) point.get("backends")).get(backend);
		return b == null ? 0 : ((Number) b.get("requests")).longValue();
	}

}
