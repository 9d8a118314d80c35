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
 * {@code GET /api/traffic/map} over real sockets: routes, the upstreams their backends and mirrors
 * go to, and those upstreams' endpoints, with the live window's rates and health on nodes and
 * edges; an upstream whose only endpoint answers 502 is failing on its node, its endpoint and the
 * edges to them.
 */
class TrafficMapApiTest extends AdminTestSupport {

	@Test
	void routesUpstreamsAndEndpointsWithRatesAndHealthAndA502UpstreamFailing() {
		TestUpstream healthy = start("map-ok");
		TestUpstream broken = start("map-bad").status(502);
		TestUpstream shadow = start("map-shadow");
		editor.post("/api/upstreams", upstream("map-ok", healthy.url()), null);
		editor.post("/api/upstreams", upstream("map-bad", broken.url()), null);
		editor.post("/api/upstreams", upstream("map-shadow", shadow.url()), null);
		assertThat(editor.post("/api/routes", Map.of("id", "map", "match", Map.of("path", "/map/**"), "backends",
				List.of(Map.of("upstream", "map-ok", "weight", 3), Map.of("upstream", "map-bad", "weight", 1)),
				"canary", Map.of("overrideHeader", "x-to"), "mirrors", List.of(Map.of("upstream", "map-shadow",
						"percentage", 5.0))), null).status()).isEqualTo(200);
		viewer().get("/api/traffic/map"); // the window starts

		for (int i = 0; i < 40; i++) {
			ingress.get("/map/" + i, Map.of("x-to", i % 4 == 3 ? "map-bad" : "map-ok"));
		}
		await().atMost(Duration.ofSeconds(8)).until(() -> ((Number) node(map(), "route:map").get("rate")).doubleValue() > 0
				&& "failing".equals(node(map(), "upstream:map-bad").get("health")));

		AdminClient.Answer answer = viewer().get("/api/traffic/map");
		assertThat(answer.status()).isEqualTo(200);
		Map<String, Object> map = answer.json();
		// in the configuration's order: routes, then each upstream followed by its endpoints
		assertThat(nodes(map)).extracting(n -> n.get("id")).containsExactly("route:map", "upstream:map-ok",
				"endpoint:map-ok/" + address(healthy), "upstream:map-bad", "endpoint:map-bad/" + address(broken),
				"upstream:map-shadow", "endpoint:map-shadow/" + address(shadow));
		assertThat(node(map, "route:map")).containsEntry("kind", "route").containsEntry("name", "map")
			.containsEntry("errorShare", 0.25).containsEntry("health", "degraded");
		assertThat(node(map, "upstream:map-bad")).containsEntry("kind", "upstream").containsEntry("health", "failing")
			.containsEntry("errorShare", 1.0);
		assertThat(node(map, "upstream:map-ok")).containsEntry("health", "ok");
		assertThat(node(map, "endpoint:map-bad/" + address(broken))).containsEntry("kind", "endpoint")
			.containsEntry("upstream", "map-bad").containsEntry("state", "serving").containsEntry("health", "failing");

		assertThat(edge(map, "route:map", "upstream:map-bad")).containsEntry("kind", "backend").containsEntry("weight", 1)
			.containsEntry("errorShare", 1.0).containsEntry("health", "failing");
		assertThat(edge(map, "route:map", "upstream:map-ok")).containsEntry("weight", 3).containsEntry("health", "ok");
		assertThat(((Number) edge(map, "route:map", "upstream:map-ok").get("rate")).doubleValue()).isPositive();
		assertThat(edge(map, "route:map", "upstream:map-shadow")).containsEntry("kind", "mirror")
			.containsEntry("percentage", 5.0).containsEntry("health", "idle");
		assertThat(edge(map, "upstream:map-bad", "endpoint:map-bad/" + address(broken))).containsEntry("kind", "endpoint")
			.containsEntry("errorShare", 1.0).containsEntry("health", "failing");
	}

	@Test
	void onlySignedInUsersReadTheMap() {
		assertThat(AdminClient.anonymous(adminPort).get("/api/traffic/map").status()).isEqualTo(401);
	}

	private Map<String, Object> map() {
		return viewer().get("/api/traffic/map").json();
	}

	private static String address(TestUpstream server) {
		return server.host() + ":" + server.port();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> nodes(Map<String, Object> map) {
		return (List<Map<String, Object>>) map.get("nodes");
	}

	private static Map<String, Object> node(Map<String, Object> map, String id) {
		return nodes(map).stream().filter(n -> id.equals(n.get("id"))).findFirst().orElse(Map.of());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> edge(Map<String, Object> map, String from, String to) {
		return ((List<Map<String, Object>>) map.get("edges")).stream()
			.filter(e -> from.equals(e.get("from")) && to.equals(e.get("to")))
			.findFirst()
			.orElse(Map.of());
	}

}
