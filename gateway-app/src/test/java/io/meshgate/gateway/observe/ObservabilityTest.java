package io.meshgate.gateway.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import io.meshgate.gateway.MeshgateApplication;
import io.meshgate.gateway.testing.TestUsers;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.cors.CorsPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.observe.AccessLog;
import io.meshgate.policy.observe.UpstreamTraceHeaders;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.SpanCollector;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.HeaderRemoval;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.call.UpstreamRoutingFilter;
import io.meshgate.policy.upstream.UpstreamRuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing, metrics, access log and the {@code mesh} endpoint on a real gateway with real upstreams
 * on loopback ports.
 */
@SpringBootTest(classes = { MeshgateApplication.class, ObservabilityTest.Spans.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "meshgate.demo.enabled=false", "meshgate.access-log.enabled=true",
				"meshgate.store.path=target/stores/observability-${random.uuid}",
				"meshgate.admin.users[0].name=" + TestUsers.VIEWER, "meshgate.admin.users[0].roles[0]=viewer",
				"meshgate.admin.users[0].password=" + TestUsers.VIEWER_HASH,
				"management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" })
class ObservabilityTest {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

	private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeshRouting routing;

	@Autowired
	SpanCollector spans;

	@Autowired
	UpstreamRoutingFilter routingFilter;

	GatewayClient client;

	GatewayClient admin;

	final List<TestUpstream> servers = new ArrayList<>();

	final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();

	@BeforeEach
	void setUp() {
		client = new GatewayClient(port);
		admin = GatewayClient.basic(managementPort, TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD);
		accessLines.start();
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLines);
	}

	@AfterEach
	void tearDown() {
		((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLines);
		routing.apply(MeshConfig.EMPTY);
		servers.forEach(TestUpstream::close);
	}

	@Test
	void traceHeadersAndTheOnePassHeaderRemovalGoTogether() {
		assertThat(routingFilter.getHeadersFilters()).hasAtLeastOneElementOfType(UpstreamTraceHeaders.class)
			.filteredOn(HeaderRemoval.class::isInstance)
			.hasSize(2);
	}

	@Test
	void clientTraceIdReachesTheUpstreamTheMirrorAndTheAccessLog() {
		TestUpstream primary = start("primary");
		TestUpstream shadow = start("shadow");
		routing.apply(new MeshConfig(List.of(Upstream.of("primary", primary.url()), Upstream.of("shadow", shadow.url())),
				List.of(Route.of("traced", "/traced/**", Backend.of("primary", 1))
					.withMirrors(MirrorPolicy.of("shadow", 100)))));

		var response = client.get("/traced/1?token=secret",
				Map.of("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01"));
		assertThat(response.statusCode()).isEqualTo(200);

		Matcher upstream = traceparent(primary.received().get(0).headers());
		assertThat(upstream.group(1)).isEqualTo(TRACE_ID);
		assertThat(upstream.group(2)).isNotEqualTo(CLIENT_SPAN_ID);

		await().until(() -> shadow.hits() == 1);
		Map<String, String> copy = shadow.received().get(0).headers();
		Matcher mirror = traceparent(copy);
		assertThat(mirror.group(1)).isEqualTo(TRACE_ID);
		assertThat(mirror.group(2)).isNotIn(CLIENT_SPAN_ID, upstream.group(2));
		assertThat(copy).containsEntry("x-meshgate-shadow", "true");

		Map<String, Object> line = await().until(() -> accessLine("traced"), l -> l != null);
		assertThat(line).containsEntry("traceId", TRACE_ID)
			.containsEntry("method", "GET")
			.containsEntry("path", "/traced/1")
			.containsEntry("route", "traced")
			.containsEntry("backend", "primary")
			.containsEntry("upstream", "primary")
			.containsEntry("endpoint", primary.host() + ":" + primary.port())
			.containsEntry("status", 200)
			.containsEntry("bytesIn", 0)
			.containsEntry("bytesOut", "primary".length())
			.containsEntry("retries", 0)
			.containsEntry("mirrored", true)
			.containsEntry("client", "127.0.0.1")
			.containsKeys("time", "durationMs");
		assertThat(lineText("traced")).doesNotContain("secret");

		// the shadow span: in the client's trace, child of the gateway's server span and linked to it
		SpanData shadowSpan = await().until(() -> span(s -> s.getSpanId().equals(mirror.group(2))), s -> s != null);
		SpanData server = await().until(
				() -> span(s -> s.getTraceId().equals(TRACE_ID) && s.getKind() == SpanKind.SERVER), s -> s != null);
		assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
		assertThat(shadowSpan.getTraceId()).isEqualTo(TRACE_ID);
		assertThat(shadowSpan.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(shadowSpan.getName()).isEqualTo("mirror shadow");
		assertThat(shadowSpan.getAttributes().get(AttributeKey.stringKey("meshgate.shadow"))).isEqualTo("true");
		assertThat(shadowSpan.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(shadowSpan.getLinks()).extracting(LinkData::getSpanContext)
			.anySatisfy(linked -> assertThat(linked.getSpanId()).isEqualTo(server.getSpanId()));

		// one gateway span per request: the upstream's parent is the server span, which says where
		// the request went
		assertThat(upstream.group(2)).isEqualTo(server.getSpanId());
		assertThat(server.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("meshgate.route"), "traced")
			.containsEntry(AttributeKey.stringKey("meshgate.backend"), "primary")
			.containsEntry(AttributeKey.stringKey("meshgate.upstream"), "primary")
			.containsEntry(AttributeKey.stringKey("meshgate.endpoint"), primary.host() + ":" + primary.port())
			.containsEntry(AttributeKey.stringKey("meshgate.retries"), "0");
		assertThat(spans.spans()).filteredOn(s -> s.getTraceId().equals(TRACE_ID) && s.getKind() == SpanKind.CLIENT)
			.containsExactly(shadowSpan);
	}

	@Test
	void unsampledTraceStillCarriesItsIdToTheUpstreamAndTheAccessLog() {
		TestUpstream primary = start("unsampled");
		routing.apply(new MeshConfig(List.of(Upstream.of("unsampled", primary.url())),
				List.of(Route.of("unsampled", "/unsampled/**", Backend.of("unsampled", 1)))));

		String trace = "0af7651916cd43dd8448eb211c80319c";
		assertThat(client.get("/unsampled/1", Map.of("traceparent", "00-" + trace + "-b7ad6b7169203331-00"))
			.statusCode()).isEqualTo(200);

		Matcher upstream = traceparent(primary.received().get(0).headers());
		assertThat(upstream.group(1)).isEqualTo(trace);
		assertThat(upstream.group(2)).as("the gateway's span").isNotEqualTo("b7ad6b7169203331");
		assertThat(upstream.group(0)).as("not sampled").endsWith("-00");
		Map<String, Object> line = await().until(() -> accessLine("unsampled"), l -> l != null);
		assertThat(line).containsEntry("traceId", trace);
	}

	@Test
	void aClientsBaggageReachesTheUpstreamUnchangedBesideTheGatewaysTraceparent() {
		TestUpstream primary = start("baggage");
		routing.apply(new MeshConfig(List.of(Upstream.of("baggage", primary.url())),
				List.of(Route.of("baggage", "/baggage/**", Backend.of("baggage", 1)))));

		assertThat(client.get("/baggage/1", Map.of("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01",
				"baggage", "tenant=acme,region=eu")).statusCode()).isEqualTo(200);

		Map<String, String> received = primary.received().get(0).headers();
		assertThat(received).containsEntry("baggage", "tenant=acme,region=eu");
		assertThat(traceparent(received).group(2)).isNotEqualTo(CLIENT_SPAN_ID);
	}

	@Test
	void prometheusHasTheRequestSeriesWithRouteBackendUpstreamAndStatusClass() {
		TestUpstream v1 = start("m-v1");
		TestUpstream v2 = start("m-v2");
		routing.apply(new MeshConfig(List.of(Upstream.of("m-v1", v1.url()), Upstream.of("m-v2", v2.url())),
				List.of(Route.of("metrics", "/metrics/**", Backend.of("m-v1", 1), Backend.of("m-v2", 1))
					.withCanary(CanaryPolicy.DEFAULT.withOverride("x-canary"))
					.withMirrors(MirrorPolicy.of("m-v2", 100)))));

		for (int i = 0; i < 3; i++) {
			assertThat(client.get("/metrics/" + i, Map.of("x-canary", "m-v1")).statusCode()).isEqualTo(200);
		}
		for (int i = 0; i < 2; i++) {
			assertThat(client.get("/metrics/" + i, Map.of("x-canary", "m-v2")).statusCode()).isEqualTo(200);
		}
		v2.status(503);
		assertThat(client.get("/metrics/x", Map.of("x-canary", "m-v2")).statusCode()).isEqualTo(503);
		assertThat(client.get("/nowhere").statusCode()).isEqualTo(404);

		await().untilAsserted(() -> {
			String scrape = admin.get("/actuator/prometheus").body();
			assertThat(sample(scrape, "meshgate_requests_seconds_count",
					"backend=\"m-v1\",grpc_status=\"\",route=\"metrics\",status=\"2xx\",upstream=\"m-v1\"")).isEqualTo(3);
			assertThat(sample(scrape, "meshgate_requests_seconds_count",
					"backend=\"m-v2\",grpc_status=\"\",route=\"metrics\",status=\"2xx\",upstream=\"m-v2\"")).isEqualTo(2);
			assertThat(sample(scrape, "meshgate_requests_seconds_count",
					"backend=\"m-v2\",grpc_status=\"\",route=\"metrics\",status=\"5xx\",upstream=\"m-v2\"")).isEqualTo(1);
			assertThat(sample(scrape, "meshgate_requests_seconds_count",
					"backend=\"\",grpc_status=\"\",route=\"\",status=\"4xx\",upstream=\"\"")).isGreaterThanOrEqualTo(1);
			assertThat(sample(scrape, "meshgate_requests_seconds_bucket",
					"backend=\"m-v1\",grpc_status=\"\",route=\"metrics\",status=\"2xx\",upstream=\"m-v1\",le=\"+Inf\"")).isEqualTo(3);
			assertThat(sample(scrape, "meshgate_mirror_requests_total",
					"mirror=\"m-v2\",outcome=\"mirrored\",route=\"metrics\"")).isEqualTo(6);
			assertThat(sample(scrape, "meshgate_mirror_duration_seconds_count",
					"error=\"none\",mirror=\"m-v2\",route=\"metrics\"")).isEqualTo(6);
			// Spring's server timer counts the same requests: off unless asked for
			assertThat(scrape).doesNotContain("http_server_requests");
		});
	}

	@Test
	void meshEndpointAnswersTheDocumentedShape() {
		TestUpstream a = start("s-a");
		TestUpstream b = start("s-b");
		routing.apply(new MeshConfig(
				List.of(Upstream.of("s-v1", a.url()).withLoadBalancer(new LoadBalancerPolicy(LoadBalancerPolicy.Type.LEAST_REQUEST, null)),
						Upstream.of("s-v2", b.url())),
				List.of(Route.of("shaped", "/shaped/**", Backend.of("s-v1", 3), Backend.of("s-v2", 1))
					.withCanary(CanaryPolicy.sticky(HashKey.of("header:x-user")).withOverride("x-canary"))
					.withMirrors(MirrorPolicy.of("s-v2", 100))
					.withRetries(new RetryPolicy(2, Duration.ofSeconds(1), null, null, null, null, null, null, null))
					.withTimeout(Duration.ofSeconds(5))
					.withRateLimit(new RateLimitPolicy(1000, null, null, null, null))
					.withCors(CorsPolicy.allowing("https://app.example.com")))));
		for (int i = 0; i < 4; i++) {
			client.get("/shaped/" + i, Map.of("x-canary", i == 0 ? "s-v2" : "s-v1"));
		}

		Map<String, Object> mesh = json(admin.get("/actuator/mesh").body());
		assertThat(mesh).containsOnlyKeys("routes", "upstreams", "certificates", "clientCertificates", "jwtProviders",
				"consumers", "authorizationPolicies", "rollouts", "tcpRoutes", "tlsPassthroughRoutes");
		assertThat(list(mesh, "certificates")).isEmpty();
		assertThat(list(mesh, "rollouts")).isEmpty();
		Map<String, Object> route = only(list(mesh, "routes"));
		assertRouteShape(route);
		assertThat(route.get("id")).isEqualTo("shaped");
		Map<String, Object> observed = map(route, "observed");
		assertThat(observed).containsEntry("windowSeconds", 300).containsEntry("requests", 4);
		assertThat(map(observed, "backends")).containsEntry("s-v1", 3).containsEntry("s-v2", 1);
		List<Map<String, Object>> backends = list(route, "backends");
		assertThat(backends.get(0)).containsEntry("upstream", "s-v1")
			.containsEntry("weight", 3)
			.containsEntry("configuredPercent", 75.0)
			.containsEntry("observedRequests", 3)
			.containsEntry("observedPercent", 75.0);
		assertThat(map(route, "canary")).containsEntry("stickyOn", "header:x-user");
		assertThat(map(route, "cors")).containsEntry("maxAge", "5s");
		assertThat(map(map(route, "cors"), "preflights")).containsEntry("allowed", 0);
		await().untilAsserted(() -> assertThat(
				map(only(list(json(admin.get("/actuator/mesh/routes/shaped").body()), "mirrors")), "requests"))
			.containsEntry("mirrored", 4));

		List<Map<String, Object>> upstreams = list(mesh, "upstreams");
		assertThat(upstreams).extracting(u -> u.get("name")).containsExactly("s-v1", "s-v2");
		Map<String, Object> upstream = upstreams.get(0);
		assertUpstreamShape(upstream);
		assertThat(map(upstream, "loadBalancer")).containsEntry("policy", "LEAST_REQUEST");
		assertThat(only(list(upstream, "endpoints"))).containsEntry("address", a.host() + ":" + a.port())
			.containsEntry("inFlight", 0);

		assertRouteShape(json(admin.get("/actuator/mesh/routes/shaped").body()));
		assertUpstreamShape(json(admin.get("/actuator/mesh/upstreams/s-v2").body()));
		assertThat(admin.get("/actuator/mesh/routes/unknown").statusCode()).isEqualTo(404);
		assertThat(admin.get("/actuator/mesh/upstreams/unknown").statusCode()).isEqualTo(404);
		assertThat(admin.get("/actuator/mesh/things/shaped").statusCode()).isEqualTo(404);
	}

	@Test
	void meshEndpointShowsExternalAuthorizationDecisionsAndFailures() {
		TestUpstream a = start("x-a");
		routing.apply(new MeshConfig(List.of(Upstream.of("x-up", a.url())),
				List.of(Route.of("checked", "/checked/**", Backend.of("x-up", 1))
					.withExtAuthz(ExtAuthzPolicy.of(URI.create(TestUpstream.refusingUrl() + "/check"))))));

		assertThat(client.get("/checked/1").statusCode()).isEqualTo(403);

		Map<String, Object> extAuthz = map(json(admin.get("/actuator/mesh/routes/checked").body()), "extAuthz");
		assertThat(extAuthz).containsEntry("timeout", "200ms").containsEntry("failOpen", false);
		assertThat(map(map(extAuthz, "decisions"), "deny")).containsEntry("failure", 1).containsEntry("service", 0);
		assertThat(map(extAuthz, "failures")).containsEntry("connection", 1).containsEntry("timeout", 0);
	}

	@Test
	void meshEndpointShowsMatchTypesHeaderChangesRewritesAndRedirects() {
		TestUpstream a = start("r-a");
		routing.apply(new MeshConfig(List.of(Upstream.of("r-a", a.url())),
				List.of(Route.of("rewritten", new RouteMatch("/r", PathType.PREFIX, null, null, Map.of("v", "2"), null, null, null, null, null),
						List.of(Backend.of("r-a", 1)))
					.withRequestHeaders(new HeaderModifier(Map.of("x-env", "prod"), null, List.of("x-debug")))
					.withResponseHeaders(HeaderModifier.set("cache-control", "no-store"))
					.withRewrite(new RewritePolicy("r.internal", null, "/v2", false)),
						Route.redirect("moved", RouteMatch.path(PathType.EXACT, "/old"), RedirectPolicy.toHttps()))));

		Map<String, Object> rewritten = json(admin.get("/actuator/mesh/routes/rewritten").body());
		assertRouteShape(rewritten);
		assertThat(map(rewritten, "match")).containsEntry("pathType", "PREFIX").containsEntry("query", Map.of("v", "2"));
		assertThat(map(rewritten, "requestHeaders")).containsEntry("set", Map.of("x-env", "prod"))
			.containsEntry("remove", List.of("x-debug"));
		assertThat(map(rewritten, "responseHeaders")).containsEntry("set", Map.of("cache-control", "no-store"));
		assertThat(map(rewritten, "rewrite")).containsEntry("hostname", "r.internal")
			.containsEntry("replacePrefixMatch", "/v2");
		Map<String, Object> moved = json(admin.get("/actuator/mesh/routes/moved").body());
		assertRouteShape(moved);
		assertThat(list(moved, "backends")).isEmpty();
		assertThat(map(moved, "redirect")).containsEntry("scheme", "https").containsEntry("statusCode", 301);
	}

	@Test
	void readinessStaysUpWhileAnUpstreamIsDownAndHealthShowsTheUpstreams() {
		TestUpstream up = start("h-up");
		routing.apply(new MeshConfig(List.of(Upstream.of("h-up", up.url()), Upstream.of("h-down", TestUpstream.refusingUrl())),
				List.of(Route.of("down", "/down/**", Backend.of("h-down", 1)))));
		assertThat(client.get("/down/1").statusCode()).isEqualTo(502);

		var readiness = admin.get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		Map<String, Object> ready = json(readiness.body());
		assertThat(ready).containsEntry("status", "UP");
		assertThat(map(ready, "components")).containsKeys("readinessState", "routing", "routeStore")
			.doesNotContainKey("upstreams");
		assertThat(map(map(ready, "components"), "routeStore")).containsEntry("status", "UP");

		Map<String, Object> health = json(admin.get("/actuator/health").body());
		assertThat(health).containsEntry("status", "UP");
		Map<String, Object> upstreams = map(map(health, "components"), "upstreams");
		assertThat(upstreams).containsEntry("status", "UP");
		assertThat(map(map(upstreams, "details"), "h-down")).containsEntry("endpoints", 1);

		// without a login (a probe, a scraper) the status only: no endpoint addresses, no store path
		var anonymous = new GatewayClient(managementPort).get("/actuator/health");
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("details").doesNotContain("127.0.0.1");

		// the admin port's own requests are not the ingress's: no access-log line, no request metric
		await().until(() -> accessLine("down") != null);
		assertThat(accessLines.list).noneMatch(e -> e.getFormattedMessage().contains("/actuator/"));
	}

	@Test
	void upstreamPoliciesAddTheirStateToTheMeshEndpointAndTheHealthDetails() {
		TestUpstream up = start("c-up");
		routing.apply(new MeshConfig(List.of(Upstream.of("c-up", up.url())),
				List.of(Route.of("contributed", "/contributed/**", Backend.of("c-up", 1)))));

		Map<String, Object> upstream = json(admin.get("/actuator/mesh/upstreams/c-up").body());
		assertThat(upstream).containsEntry("testPolicy", Map.of("state", "CLOSED"));
		assertThat(only(list(upstream, "endpoints"))).containsEntry("testPolicy", Map.of("ejected", false));

		Map<String, Object> health = json(admin.get("/actuator/health").body());
		assertThat(map(map(map(map(health, "components"), "upstreams"), "details"), "c-up"))
			.containsEntry("endpoints", 1)
			.containsEntry("testPolicy", Map.of("state", "CLOSED"));
	}

	@Test
	void retriesAreCountedInTheAccessLogAndInPrometheus() {
		TestUpstream failing = start("r-fail").status(503);
		routing.apply(new MeshConfig(List.of(Upstream.of("r-fail", failing.url())),
				List.of(Route.of("retried", "/retried/**", Backend.of("r-fail", 1))
					.withRetries(new RetryPolicy(2, null, null, Duration.ofMillis(1), Duration.ofMillis(2), null, null,
							null, null)))));

		assertThat(client.get("/retried/1").statusCode()).isEqualTo(503);

		assertThat(failing.hits()).isEqualTo(3);
		// every attempt carries the gateway's span; the span counts the retries
		assertThat(failing.received()).extracting(r -> r.headers().get("traceparent")).doesNotContainNull()
			.containsOnly(failing.received().get(0).headers().get("traceparent"));
		SpanData server = await().until(() -> span(s -> s.getKind() == SpanKind.SERVER
				&& "retried".equals(s.getAttributes().get(AttributeKey.stringKey("meshgate.route")))), s -> s != null);
		assertThat(server.getAttributes().get(AttributeKey.stringKey("meshgate.retries"))).isEqualTo("2");
		Map<String, Object> line = await().until(() -> accessLine("retried"), l -> l != null);
		assertThat(line).containsEntry("retries", 2).containsEntry("status", 503);
		String scrape = admin.get("/actuator/prometheus").body();
		assertThat(sample(scrape, "meshgate_retries_total", "outcome=\"retried\",route=\"retried\"")).isEqualTo(2);
		assertThat(sample(scrape, "meshgate_retries_total", "outcome=\"budget_exhausted\",route=\"retried\""))
			.isZero();
		assertThat(sample(scrape, "meshgate_requests_seconds_count",
				"backend=\"r-fail\",grpc_status=\"\",route=\"retried\",status=\"5xx\",upstream=\"r-fail\"")).isEqualTo(1);
	}

	@Test
	void requestAndResponseBodiesAreCountedInTheAccessLog() throws Exception {
		TestUpstream echo = start("b-up");
		routing.apply(new MeshConfig(List.of(Upstream.of("b-up", echo.url())),
				List.of(Route.of("bodies", "/bodies/**", Backend.of("b-up", 1)))));

		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bodies/1"))
				.POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);

		Map<String, Object> line = await().until(() -> accessLine("bodies"), l -> l != null);
		assertThat(line).containsEntry("method", "POST").containsEntry("bytesIn", 1000).containsEntry("bytesOut", 4);
	}

	private static void assertRouteShape(Map<String, Object> route) {
		assertThat(route).containsOnlyKeys("id", "match", "backends", "canary", "mirrors", "retries", "timeout",
				"fault", "rateLimit", "requestHeaders", "responseHeaders", "rewrite", "redirect", "cors",
				"authentication", "extAuthz", "rolloutState", "streamIdleTimeout", "observed", "owner");
		assertThat(route.get("id")).isInstanceOf(String.class);
		assertThat(map(route, "match")).containsOnlyKeys("path", "pathType", "methods", "headers", "query", "host",
				"claims", "principals", "listener", "grpc");
		for (String headers : List.of("requestHeaders", "responseHeaders")) {
			if (route.get(headers) != null) {
				assertThat(map(route, headers)).containsOnlyKeys("set", "add", "remove");
			}
		}
		if (route.get("rewrite") != null) {
			assertThat(map(route, "rewrite")).containsOnlyKeys("hostname", "replaceFullPath", "replacePrefixMatch", "preserveHost");
		}
		if (route.get("redirect") != null) {
			assertThat(map(route, "redirect")).containsOnlyKeys("scheme", "hostname", "port", "replaceFullPath",
					"replacePrefixMatch", "statusCode");
		}
		assertThat(list(route, "backends")).allSatisfy(b -> assertThat(b).containsOnlyKeys("upstream", "weight",
				"status", "requestHeaders", "responseHeaders", "configuredPercent", "observedRequests", "observedPercent"));
		assertThat(map(route, "canary")).containsOnlyKeys("stickyOn", "overrideHeader", "overrideFrom",
				"allowZeroWeight", "rollout");
		assertThat(list(route, "mirrors")).allSatisfy(m -> {
			assertThat(m).containsOnlyKeys("upstream", "percentage", "maxBodySize", "maxConcurrent", "timeout",
					"compare", "requests");
			assertThat(map(m, "requests")).containsOnlyKeys("mirrored", "failed", "dropped", "too_large");
		});
		if (route.get("retries") != null) {
			assertThat(map(route, "retries")).containsOnlyKeys("attempts", "perTryTimeout", "retryOn", "baseInterval",
					"maxInterval", "budgetPercent", "minRetryConcurrency", "retryNonIdempotent", "maxBodySize",
					"retried", "budgetExhausted");
			assertThat(map(route, "retries").get("retryOn")).isInstanceOf(List.class);
		}
		if (route.get("timeout") != null) {
			assertThat(route.get("timeout")).isInstanceOf(String.class);
		}
		if (route.get("cors") != null) {
			assertThat(map(route, "cors")).containsOnlyKeys("allowOrigins", "allowMethods", "allowHeaders",
					"exposeHeaders", "allowCredentials", "maxAge", "preflights");
			assertThat(map(map(route, "cors"), "preflights")).containsOnlyKeys("allowed", "origin_denied",
					"method_denied", "headers_denied");
		}
		if (route.get("rateLimit") != null) {
			assertThat(map(route, "rateLimit")).containsOnlyKeys("maxTokens", "tokensPerFill", "fillInterval", "keyOn",
					"maxKeys", "rejected");
		}
		Map<String, Object> observed = map(route, "observed");
		assertThat(observed).containsOnlyKeys("windowSeconds", "requests", "backends", "statuses");
		assertThat(observed.get("requests")).isInstanceOf(Number.class);
		assertThat(observed.get("backends")).isInstanceOf(Map.class);
		assertThat(observed.get("statuses")).isInstanceOf(Map.class);
	}

	private static void assertUpstreamShape(Map<String, Object> upstream) {
		// upstream policies add their own fields (UpstreamStateContributor); none are configured here,
		// but every upstream shows its TLS mode
		assertThat(upstream).containsOnlyKeys("name", "loadBalancer", "discovery", "endpoints", "tls", "owner");
		assertThat(map(upstream, "tls")).containsOnly(Map.entry("mode", "DISABLE"));
		assertThat(upstream.get("name")).isInstanceOf(String.class);
		assertThat(map(upstream, "loadBalancer")).containsOnlyKeys("policy", "hashOn");
		assertThat(list(upstream, "endpoints")).isNotEmpty().allSatisfy(e -> {
			assertThat(e).containsOnlyKeys("address", "uri", "weight", "inFlight");
			assertThat(e.get("address")).isInstanceOf(String.class);
			assertThat(e.get("weight")).isInstanceOf(Number.class);
			assertThat(e.get("inFlight")).isInstanceOf(Number.class);
		});
	}

	private TestUpstream start(String name) {
		TestUpstream server = TestUpstream.start(name);
		servers.add(server);
		return server;
	}

	private static Matcher traceparent(Map<String, String> headers) {
		assertThat(headers).containsKey("traceparent");
		Matcher matcher = TRACEPARENT.matcher(headers.get("traceparent"));
		assertThat(matcher.matches()).as(headers.get("traceparent")).isTrue();
		return matcher;
	}

	private String lineText(String route) {
		return accessLines.list.stream()
			.map(ILoggingEvent::getFormattedMessage)
			.filter(line -> line.contains("\"route\":\"" + route + "\""))
			.findFirst()
			.orElse(null);
	}

	private Map<String, Object> accessLine(String route) {
		String line = lineText(route);
		return line == null ? null : json(line);
	}

	private SpanData span(java.util.function.Predicate<SpanData> test) {
		return spans.spans().stream().filter(test).findFirst().orElse(null);
	}

	/** The value of one Prometheus sample, or -1 when the series is missing. */
	private static double sample(String scrape, String name, String labels) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)").matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
	}

	private static Map<String, Object> json(String body) {
		return JsonParserFactory.getJsonParser().parseMap(body);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> json, String key) {
		assertThat(json.get(key)).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) json.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
		assertThat(json.get(key)).as(key).isInstanceOf(List.class);
		return (List<Map<String, Object>>) json.get(key);
	}

	private static Map<String, Object> only(List<Map<String, Object>> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		SpanCollector spanCollector() {
			return new SpanCollector();
		}

		/** Stands in for an upstream policy: state for upstream c-up and its endpoints only. */
		@Bean
		UpstreamStateContributor testPolicyState() {
			return new UpstreamStateContributor() {

				@Override
				public String name() {
					return "testPolicy";
				}

				@Override
				public Map<String, Object> upstreamState(UpstreamRuntime upstream) {
					return upstream.name().equals("c-up") ? Map.of("state", "CLOSED") : null;
				}

				@Override
				public Map<String, Object> endpointState(UpstreamRuntime upstream, UpstreamEndpoint endpoint) {
					return upstream.name().equals("c-up") ? Map.of("ejected", false) : null;
				}

			};
		}

	}

}
