package io.meshgate.policy.cors;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.binding.PolicyBinding;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS over real sockets: preflights answered by the gateway before rate limits, faults and the
 * upstream; actual responses with the allowed origin and {@code Vary: Origin}.
 */
class CorsTest extends GatewayTest {

	static final String SHOP = "https://shop.example.com";

	static final CorsPolicy SHOP_POLICY = new CorsPolicy(List.of(SHOP, "https://*.example.net"),
			List.of("GET", "PUT"), List.of("authorization", "content-type"), List.of("x-request-id"), true,
			Duration.ofMinutes(10));

	TestUpstream upstream;

	@BeforeEach
	void upstream() {
		upstream = start("ok");
	}

	@Test
	void preflightsAreAnsweredBeforeRateLimitsFaultsAndTheUpstream() {
		route(route().withCors(SHOP_POLICY)
			.withRateLimit(new RateLimitPolicy(1, 1, Duration.ofHours(1), null, null))
			.withFault(new FaultPolicy(null, new FaultPolicy.Abort(100.0, 503))));
		double allowedBefore = preflights("allowed");
		double deniedBefore = preflights("origin_denied");
		double limitedBefore = counter("meshgate.ratelimit.rejected", "route", "svc");

		for (int i = 0; i < 5; i++) {
			HttpResponse<String> allowed = preflight("/svc/orders/" + i, SHOP, "PUT", "content-type, authorization");
			assertThat(allowed.statusCode()).isEqualTo(204);
			assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
			assertThat(header(allowed, "Access-Control-Allow-Credentials")).isEqualTo("true");
			assertThat(header(allowed, "Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
			assertThat(header(allowed, "Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
			assertThat(header(allowed, "Access-Control-Expose-Headers")).isEqualTo("x-request-id");
			assertThat(header(allowed, "Access-Control-Max-Age")).isEqualTo("600");
			assertThat(allowed.headers().allValues("Vary")).anySatisfy(vary -> assertThat(vary).contains("Origin"));
		}
		HttpResponse<String> wildcard = preflight("/svc/orders", "https://a.b.example.net", "GET", null);
		assertThat(wildcard.statusCode()).isEqualTo(204);
		assertThat(header(wildcard, "Access-Control-Allow-Origin")).isEqualTo("https://a.b.example.net");
		for (String origin : List.of("https://evil.test", "null", "https://example.net", "https://shop.example.com/x")) {
			HttpResponse<String> denied = preflight("/svc/orders", origin, "PUT", null);
			assertThat(denied.statusCode()).as(origin).isEqualTo(403);
			assertNoCorsHeaders(denied.headers());
		}

		assertThat(upstream.hits()).isZero();
		assertThat(preflights("allowed") - allowedBefore).isEqualTo(6);
		assertThat(preflights("origin_denied") - deniedBefore).isEqualTo(4);
		assertThat(counter("meshgate.ratelimit.rejected", "route", "svc")).isEqualTo(limitedBefore);
	}

	@Test
	void theGatewaysOwnAnswersToActualRequestsCarryCorsHeaders() {
		route(route().withCors(SHOP_POLICY)
			.withRateLimit(new RateLimitPolicy(1, 1, Duration.ofHours(1), null, null))
			.withFault(new FaultPolicy(null, new FaultPolicy.Abort(100.0, 503))));

		HttpResponse<String> aborted = client.get("/svc/a", Map.of("Origin", SHOP));
		HttpResponse<String> limited = client.get("/svc/a", Map.of("Origin", SHOP));

		assertThat(aborted.statusCode()).isEqualTo(503);
		assertThat(limited.statusCode()).isEqualTo(429);
		for (HttpResponse<String> response : List.of(aborted, limited)) {
			assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
			assertThat(header(response, "Access-Control-Allow-Credentials")).isEqualTo("true");
			assertThat(response.headers().allValues("Vary")).contains("Origin");
		}
		assertThat(upstream.hits()).isZero();
	}

	@Test
	void actualResponsesGetTheAllowedOriginAndAlwaysVaryOnOrigin() {
		route(route().withCors(SHOP_POLICY));
		double allowedBefore = requests("allowed");
		double deniedBefore = requests("origin_denied");

		HttpResponse<String> allowed = client.get("/svc/a", Map.of("Origin", SHOP));
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
		assertThat(header(allowed, "Access-Control-Allow-Credentials")).isEqualTo("true");
		assertThat(header(allowed, "Access-Control-Expose-Headers")).isEqualTo("x-request-id");
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
		assertThat(allowed.headers().allValues("Vary")).containsExactly("Origin");

		HttpResponse<String> denied = client.get("/svc/a", Map.of("Origin", "https://evil.test"));
		assertThat(denied.statusCode()).isEqualTo(200);
		assertNoCorsHeaders(denied.headers());
		assertThat(denied.headers().allValues("Vary")).containsExactly("Origin");

		HttpResponse<String> sameSite = client.get("/svc/a");
		assertThat(sameSite.statusCode()).isEqualTo(200);
		assertNoCorsHeaders(sameSite.headers());
		assertThat(sameSite.headers().allValues("Vary")).containsExactly("Origin");

		// CORS is the browser's check: the upstream serves every request, the origin decides the headers
		assertThat(upstream.hits()).isEqualTo(3);
		assertThat(requests("allowed") - allowedBefore).isEqualTo(1);
		assertThat(requests("origin_denied") - deniedBefore).isEqualTo(1);
	}

	@Test
	void aStarWithCredentialsEchoesTheOriginMethodAndHeadersNeverAStar() {
		route(route().withCors(new CorsPolicy(List.of("*"), List.of("*"), List.of("*"), List.of("*"), true, null)));

		HttpResponse<String> preflight = preflight("/svc/a", "https://foobar.com:12345", "PATCH",
				"authorization, x-custom");
		assertThat(preflight.statusCode()).isEqualTo(204);
		assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo("https://foobar.com:12345");
		assertThat(header(preflight, "Access-Control-Allow-Methods")).isEqualTo("PATCH");
		assertThat(header(preflight, "Access-Control-Allow-Headers")).isEqualTo("authorization, x-custom");
		assertThat(header(preflight, "Access-Control-Allow-Credentials")).isEqualTo("true");
		assertThat(header(preflight, "Access-Control-Max-Age")).isEqualTo("5");

		HttpResponse<String> actual = client.get("/svc/a", Map.of("Origin", "http://app.test"));
		assertThat(header(actual, "Access-Control-Allow-Origin")).isEqualTo("http://app.test");
		// with credentials "*" exposes nothing: the response's own header names are listed instead
		assertThat(header(actual, "Access-Control-Expose-Headers")).doesNotContain("*").containsIgnoringCase("x-upstream");

		for (String origin : List.of("null", "https://a.test/", "javascript://a.test", "https://a.test:0")) {
			assertThat(preflight("/svc/a", origin, "GET", null).statusCode()).as(origin).isEqualTo(403);
			assertNoCorsHeaders(afterPreflight().get("/svc/a", Map.of("Origin", origin)).headers());
		}
		assertThat(upstream.hits()).isEqualTo(5);
	}

	@Test
	void aPreflightMustAskForAllowedMethodsAndHeaders() {
		route(route().withCors(SHOP_POLICY));
		double methodBefore = preflights("method_denied");
		double headersBefore = preflights("headers_denied");

		HttpResponse<String> safelisted = preflight("/svc/a", SHOP, "POST", null);
		HttpResponse<String> method = preflight("/svc/a", SHOP, "DELETE", null);
		HttpResponse<String> headers = preflight("/svc/a", SHOP, "PUT", "authorization, x-debug");

		assertThat(safelisted.statusCode()).isEqualTo(204);
		assertThat(method.statusCode()).isEqualTo(403);
		assertNoCorsHeaders(method.headers());
		assertThat(headers.statusCode()).isEqualTo(403);
		assertNoCorsHeaders(headers.headers());
		assertThat(upstream.hits()).isZero();
		assertThat(preflights("method_denied") - methodBefore).isEqualTo(1);
		assertThat(preflights("headers_denied") - headersBefore).isEqualTo(1);
	}

	@Test
	void aPreflightFindsTheRouteItsRequestWillTakeWhateverMethodsTheRouteMatches() {
		RouteMatch getOnly = PolicyBinding.bind(RouteMatch.class, Map.of("path", "/svc/**", "methods", "GET"), List.of());
		route(Route.of("svc", getOnly, List.of(Backend.of("svc", 1))).withCors(SHOP_POLICY));

		assertThat(preflight("/svc/a", SHOP, "GET", null).statusCode()).isEqualTo(204);
		// the route would not take the DELETE the preflight announces (WebFlux answers it, without
		// CORS headers, as any preflight no route takes), nor a plain OPTIONS
		HttpResponse<String> delete = preflight("/svc/a", SHOP, "DELETE", null);
		assertThat(delete.statusCode()).isNotEqualTo(204);
		assertNoCorsHeaders(delete.headers());
		GatewayClient actual = afterPreflight();
		assertThat(actual.send("OPTIONS", "/svc/a", Map.of()).statusCode()).isEqualTo(404);
		assertThat(actual.send("PUT", "/svc/a", Map.of("Origin", SHOP)).statusCode()).isEqualTo(404);
		assertThat(actual.get("/svc/a", Map.of("Origin", SHOP)).statusCode()).isEqualTo(200);
		assertThat(upstream.hits()).isEqualTo(1);
	}

	@Test
	void aRouteWithoutCorsGetsNoCorsHeaders() {
		route(route());

		HttpResponse<String> response = client.get("/svc/a", Map.of("Origin", SHOP));

		assertThat(response.statusCode()).isEqualTo(200);
		assertNoCorsHeaders(response.headers());
		assertThat(response.headers().firstValue("Vary")).isEmpty();
	}

	/**
	 * A client on a new connection, for each preflight and for requests after one. A request the
	 * JDK's client sends on a kept-alive connection after a preflight the gateway answered now and
	 * then never reaches the route (1 run in 3; also for routes without CORS, whose preflights
	 * WebFlux answers, so also before CORS; not seen with a raw socket that waits 300 ms between
	 * requests): left for its own investigation, apart from CORS.
	 */
	private GatewayClient afterPreflight() {
		return new GatewayClient(port);
	}

	/** Counters outlive a test's routes in the shared gateway: tests compare before and after. */
	private double preflights(String outcome) {
		return counter("meshgate.cors.preflights", "route", "svc", "outcome", outcome);
	}

	private double requests(String outcome) {
		return counter("meshgate.cors.requests", "route", "svc", "outcome", outcome);
	}

	private HttpResponse<String> preflight(String path, String origin, String method, String headers) {
		Map<String, String> request = headers == null
				? Map.of("Origin", origin, "Access-Control-Request-Method", method)
				: Map.of("Origin", origin, "Access-Control-Request-Method", method, "Access-Control-Request-Headers",
						headers);
		return afterPreflight().send("OPTIONS", path, request);
	}

	private static String header(HttpResponse<String> response, String name) {
		return response.headers().firstValue(name).orElse(null);
	}

	private static void assertNoCorsHeaders(HttpHeaders headers) {
		assertThat(headers.map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
	}

	private void route(Route route) {
		apply(List.of(Upstream.of("svc", upstream.url())), route);
	}

	private static Route route() {
		return Route.of("svc", "/svc/**", Backend.of("svc", 1));
	}

}
