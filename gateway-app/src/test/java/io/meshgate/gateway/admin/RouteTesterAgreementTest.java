package io.meshgate.gateway.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.RawHttp;
import io.meshgate.gateway.testing.AdminClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route tester answers what the ingress port does: the same table of requests goes through
 * {@code POST /api/tester} and, byte for byte, through the ingress port of the same gateway, and
 * both must name the same route, backend and status.
 */
class RouteTesterAgreementTest extends AdminTestSupport {

	private static final String HOST = "gw.test";

	/** The route a response came from: every route sets this header on its responses. */
	private static final String ROUTE_HEADER = "x-route";

	private final List<Map<String, Object>> upstreams = new ArrayList<>();

	private final List<Map<String, Object>> routes = new ArrayList<>();

	/** A request of the table; {@code expected} is the route it must meet, null: none. */
	private record Probe(String method, String target, String host, Map<String, String> headers, String expected) {

		Map<String, String> wireHeaders() {
			Map<String, String> wire = new LinkedHashMap<>();
			wire.put("Host", host);
			wire.putAll(headers);
			return wire;
		}

	}

	/** What one side says: the route, the backend (upstream), the status. */
	private record Seen(String route, String backend, int status) {

	}

	@BeforeEach
	void routesOfEveryKind() {
		for (String name : List.of("a", "b", "c")) {
			upstreams.add(upstream(name, start(name).url()));
		}
		routes.add(route("exact", Map.of("path", "/exact", "pathType", "EXACT"), "a"));
		routes.add(route("prefix", Map.of("path", "/pre", "pathType", "PREFIX"), "b"));
		routes.add(route("regex", Map.of("path", "/re/[0-9]+", "pathType", "REGEX"), "c"));
		routes.add(route("pattern", Map.of("path", "/pat/*/x"), "a"));
		routes.add(route("host", Map.of("path", "/h/**", "host", "**.example.com"), "b"));
		routes.add(route("header", Map.of("path", "/hdr/**", "headers", Map.of("x-env", "beta|canary")), "c"));
		routes.add(route("query", Map.of("path", "/q/**", "query", Map.of("v", "2")), "a"));
		routes.add(route("method", Map.of("path", "/m/**", "methods", List.of("POST")), "b"));
		routes.add(Map.of("id", "old", "match", Map.of("path", "/old", "pathType", "EXACT"), "redirect",
				Map.of("replaceFullPath", "/new", "statusCode", 308)));
		Map<String, Object> split = new LinkedHashMap<>(route("split", Map.of("path", "/split/**"), "a"));
		split.put("backends", List.of(Map.of("upstream", "a", "weight", 50), Map.of("upstream", "b", "weight", 50)));
		split.put("canary", Map.of("stickyOn", "header:x-user", "overrideHeader", "x-canary"));
		routes.add(split);
		AdminClient.Answer stored = editor.put("/api/config", Map.of("upstreams", upstreams, "routes", routes), null);
		assertThat(stored.status()).as(stored.body()).isEqualTo(200);
		// the first request of a fresh gateway may take a while on a loaded machine
		await().atMost(Duration.ofSeconds(10)).until(() -> ingress.get("/exact").statusCode() == 200);
	}

	@Test
	void theTesterAndTheIngressPortAgreeOnRouteBackendAndStatus() {
		List<Probe> table = List.of(get("/exact", "exact"), get("/exact/", null), get("/EXACT", null),
				get("//exact", "exact"), get("/pre/../exact", "exact"), get("/pre/./x", "prefix"),
				get("/pre/x", "prefix"), get("/pre", "prefix"), get("/prefix", null), get("/pre%2Fx", null),
				get("/re/123", "regex"), get("/re/abc", null), get("/pat/1/x", "pattern"), get("/pat/1/x/", null),
				get("/pat/1/2/x", null), at("api.example.com", "/h/1", "host"), at("a.b.example.com", "/h/1", "host"),
				at("api.example.com:8080", "/h/1", "host"), at("API.Example.com", "/h/1", "host"),
				at("example.com", "/h/1", "host"), at("example.org", "/h/1", null), with("/hdr/1", Map.of("x-env", "canary"), "header"),
				with("/hdr/1", Map.of("X-Env", "beta"), "header"), with("/hdr/1", Map.of("x-env", "prod"), null),
				get("/q/1?v=2", "query"), get("/q/1?v=3", null), get("/q/1?w=2", null),
				new Probe("POST", "/m/1", HOST, Map.of(), "method"), get("/m/1", null), get("/old?x=1", "old"),
				with("/split/1", Map.of("x-user", "alice"), "split"), with("/split/1", Map.of("x-user", "bob"), "split"),
				with("/split/1", Map.of("x-canary", "b"), "split"), get("/nothing", null));

		List<String> disagreements = new ArrayList<>();
		for (Probe probe : table) {
			Seen tester = tester(probe);
			Seen ingress = ingress(probe);
			if (!tester.equals(ingress)) {
				disagreements.add(probe.method() + " " + probe.target() + " Host " + probe.host() + " " + probe.headers()
						+ ": tester " + tester + ", ingress " + ingress);
			}
			else if (probe.expected() != null ? !probe.expected().equals(ingress.route()) : ingress.status() == 200) {
				disagreements.add(probe.method() + " " + probe.target() + " Host " + probe.host() + ": expected route "
						+ probe.expected()
						+ ", both say " + ingress);
			}
		}
		assertThat(disagreements).isEmpty();
	}

	@Test
	void aProposedConfigurationIsTestedOnItsDryRunTableWithoutBeingApplied() {
		long version = editor.get("/api/config").version();
		List<Map<String, Object>> proposed = new ArrayList<>(routes);
		proposed.add(0, route("fresh", Map.of("path", "/exact", "pathType", "EXACT"), "c"));

		Map<String, Object> answer = editor.post("/api/tester", Map.of("path", "/exact", "host", HOST, "config",
				Map.of("upstreams", upstreams, "routes", proposed)), null).json();

		assertThat(answer).containsEntry("route", "fresh").containsEntry("backend", "c").containsEntry("dryRun", true);
		assertThat(editor.post("/api/tester", Map.of("path", "/exact", "host", HOST), null).json())
			.containsEntry("route", "exact");
		assertThat(RawHttp.send(ingressPort, "GET", "/exact", Map.of("Host", HOST)).headers())
			.containsEntry(ROUTE_HEADER, "exact");
		assertThat(editor.get("/api/config").version()).isEqualTo(version);

		// a proposal the gateway cannot build is answered as the edit would be
		Map<String, Object> broken = new LinkedHashMap<>(route("broken", Map.of("path", "/broken"), "a"));
		broken.put("requestHeaders", Map.of("set", Map.of("x-note", " #{1/0}")));
		AdminClient.Answer refused = editor.post("/api/tester", Map.of("path", "/broken", "config",
				Map.of("upstreams", upstreams, "routes", List.of(broken))), null);
		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("\"path\":\"routes[broken]\"");
	}

	private static Map<String, Object> route(String id, Map<String, Object> match, String upstream) {
		return Map.of("id", id, "match", match, "backends", List.of(Map.of("upstream", upstream)), "responseHeaders",
				Map.of("set", Map.of(ROUTE_HEADER, id)));
	}

	private static Probe get(String target, String expected) {
		return new Probe("GET", target, HOST, Map.of(), expected);
	}

	private static Probe at(String host, String target, String expected) {
		return new Probe("GET", target, host, Map.of(), expected);
	}

	private static Probe with(String target, Map<String, String> headers, String expected) {
		return new Probe("GET", target, HOST, headers, expected);
	}

	/** The tester's answer: a request it sends upstream is answered by the upstream (200 here). */
	private Seen tester(Probe probe) {
		AdminClient.Answer answer = editor.post("/api/tester",
				Map.of("method", probe.method(), "path", probe.target(), "host", probe.host(), "headers", probe.headers()),
				null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		Map<String, Object> json = answer.json();
		Object status = json.get("status");
		return new Seen((String) json.get("route"), (String) json.get("backend"),
				status == null ? 200 : ((Number) status).intValue());
	}

	/** What the ingress port answers: the route from its header, the backend from the upstream's body. */
	private Seen ingress(Probe probe) {
		RawHttp.Response response = RawHttp.send(ingressPort, probe.method(), probe.target(), probe.wireHeaders());
		String route = response.headers().get(ROUTE_HEADER);
		if (route == null && response.status() / 100 == 3) {
			// a redirect answers before any response header filter: its Location shows the route
			route = response.headers().getOrDefault("location", "").endsWith("/new?x=1") ? "old" : null;
		}
		return new Seen(route, response.status() == 200 ? response.body() : null, response.status());
	}

}
