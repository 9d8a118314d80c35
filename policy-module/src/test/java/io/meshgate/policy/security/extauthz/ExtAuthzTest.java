package io.meshgate.policy.security.extauthz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.observe.MeshMetrics;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy.DecisionCachePolicy;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.tls.TlsPolicy;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * External authorization over real sockets: a client, the gateway, an auth service and an upstream,
 * each a real HTTP server on loopback. Counts of calls to the auth service are exact: the cache and
 * the breaker decide them deterministically.
 */
class ExtAuthzTest extends GatewayTest {

	private static final AtomicInteger ROUTES = new AtomicInteger();

	private final AuthServer auth = new AuthServer();

	/** A route id of this test's own: the meters it reads count this test's requests only. */
	private final String id = "orders-" + ROUTES.incrementAndGet();

	private TestUpstream upstream;

	@AfterEach
	void stopAuthServer() {
		auth.close();
	}

	/** A route {@code /orders/**} to an upstream, checked by {@code policy}. */
	private void route(ExtAuthzPolicy policy) {
		upstream = start("orders");
		apply(List.of(Upstream.of("orders", upstream.url())),
				Route.of(id, "/orders/**", Backend.of("orders", 1)).withExtAuthz(policy));
	}

	private ExtAuthzPolicy policy(String uri) {
		return builder(uri).build();
	}

	/**
	 * The policy's defaults but a timeout of seconds: a test not about timeouts must not fail on a
	 * cold or loaded machine's first connection.
	 */
	private static PolicyBuilder builder(String uri) {
		return new PolicyBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5));
	}

	@Test
	void anAllowingAnswerLetsTheRequestOnWithTheAuthServicesHeadersAndTheCheckCarriesWhatThePolicySays() {
		auth.answer(200, "x-user-id", "alice", "x-internal", "secret", "set-cookie", "session=2");
		route(builder(auth.uri("/check"))
			.includeRequestHeadersInCheck("authorization")
			.headersToUpstreamOnAllow("x-user-id")
			.headersToDownstreamOnAllow("set-cookie")
			.build());

		HttpResponse<String> response = client.get("/orders/7?expand=lines", Map.of("Authorization", "Bearer t0k",
				"Cookie", "c=1", "X-User-Id", "mallory", "X-Forwarded-For", "6.6.6.6"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("orders");
		assertThat(response.headers().allValues("set-cookie")).containsExactly("session=2");
		TestUpstream.Received received = upstream.received().get(0);
		assertThat(received.headers()).containsEntry("x-user-id", "alice").doesNotContainKey("x-internal");
		AuthServer.Check check = auth.checks().get(0);
		assertThat(check.method()).isEqualTo("GET");
		assertThat(check.uri()).isEqualTo("/check/orders/7?expand=lines");
		assertThat(check.bodyLength()).isZero();
		assertThat(check.headers()).containsEntry("authorization", "Bearer t0k")
			// the client's own X-Forwarded-For is not trusted: the TCP peer is the client
			.containsEntry("x-forwarded-for", "127.0.0.1")
			.containsEntry("x-forwarded-method", "GET")
			.containsEntry("x-forwarded-uri", "/orders/7?expand=lines")
			.containsEntry("x-forwarded-proto", "http")
			.containsEntry("x-forwarded-host", "127.0.0.1:" + port)
			.containsEntry("content-length", "0")
			.doesNotContainKeys("cookie", "x-user-id");
		assertThat(counter(MeshMetrics.EXT_AUTHZ_DECISIONS, "route", id, "decision", "allow", "source", "service"))
			.isEqualTo(1);
		assertThat(meters.find(MeshMetrics.EXT_AUTHZ_DURATION).tags("route", id, "result", "allow").timer().count())
			.isEqualTo(1);
	}

	@Test
	void theRequestBodyGoesToTheUpstreamOnlyNeverToTheAuthService() throws Exception {
		auth.answer(200);
		route(policy(auth.uri("/check")));

		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"item\":42}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(auth.checks().get(0).method()).isEqualTo("POST");
		assertThat(auth.checks().get(0).bodyLength()).isZero();
		assertThat(new String(upstream.received().get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"item\":42}");
	}

	@Test
	void checksBeyondMaxConcurrentRequestsFailAtOnce() throws Exception {
		auth.answer(200).delay(Duration.ofSeconds(1));
		route(builder(auth.uri("/check"))
			.circuitBreaker(new CircuitBreakerPolicy(null, null, null, null, null, null, null, 1))
			.build());

		CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> client.get("/orders/1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> auth.calls() == 1);
		HttpResponse<String> second = client.get("/orders/2");

		assertThat(second.statusCode()).isEqualTo(403);
		assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(auth.calls()).isEqualTo(1);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "concurrency_limit")).isEqualTo(1);
	}

	@Test
	void aClientNeverSuppliesAHeaderTheAuthServiceOwns() {
		auth.answer(200);
		route(builder(auth.uri("/check")).headersToUpstreamOnAllow("x-user-id").build());

		assertThat(client.get("/orders/1", Map.of("X-User-Id", "mallory")).statusCode()).isEqualTo(200);

		assertThat(upstream.received().get(0).headers()).doesNotContainKey("x-user-id");
	}

	@Test
	void aDenyingAnswerPassesItsStatusAndListedHeadersButNeverItsBody() {
		auth.answer(401, "WWW-Authenticate", "Bearer realm=\"orders\"", "x-internal", "secret")
			.body("stack trace of the auth service", "text/plain");
		route(policy(auth.uri("/check")));

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"orders\"");
		assertThat(response.headers().firstValue("x-internal")).isEmpty();
		assertThat(response.body()).contains("\"status\":401").doesNotContain("stack trace");
		assertThat(upstream.hits()).isZero();
		assertThat(counter(MeshMetrics.EXT_AUTHZ_DECISIONS, "route", id, "decision", "deny", "source", "service"))
			.isEqualTo(1);
	}

	@Test
	void aDenyingAnswersBodyReachesTheClientOnlyWhenConfigured() {
		auth.answer(403).body("{\"reason\":\"suspended\"}", "application/json");
		route(builder(auth.uri("/check")).includeBodyOnDeny(true).build());

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("{\"reason\":\"suspended\"}");
		assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
	}

	@Test
	void aRedirectOfTheAuthServiceDeniesWith403() {
		auth.answer(302, "Location", "https://login.example.com/");
		route(builder(auth.uri("/check")).headersToDownstreamOnDeny("location").build());

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(upstream.hits()).isZero();
	}

	@Test
	void aSlowAuthServiceFailsClosedWith403AfterTheTimeout() {
		auth.answer(200).delay(Duration.ofSeconds(2));
		route(builder(auth.uri("/check")).timeout(Duration.ofMillis(100)).build());

		long start = System.nanoTime();
		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
		assertThat(response.body()).contains("access denied");
		assertThat(upstream.hits()).isZero();
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "timeout")).isEqualTo(1);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_DECISIONS, "route", id, "decision", "deny", "source", "failure"))
			.isEqualTo(1);
	}

	@Test
	void aSlowAuthServiceFailsOpenWhenConfigured() {
		auth.answer(200).delay(Duration.ofSeconds(2));
		route(builder(auth.uri("/check")).timeout(Duration.ofMillis(100)).failOpen(true).build());

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(upstream.hits()).isEqualTo(1);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_DECISIONS, "route", id, "decision", "allow", "source", "failure"))
			.isEqualTo(1);
	}

	@Test
	void anAuthServiceThatIsDownAnswersStatusOnError() {
		route(builder(TestUpstream.refusingUrl() + "/check").statusOnError(503).build());

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("service unavailable");
		assertThat(upstream.hits()).isZero();
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "connection")).isEqualTo(1);
	}

	@Test
	void aServerErrorOfTheAuthServiceIsAFailureNotADenial() {
		auth.answer(500).body("database down at 10.0.0.7", "text/plain");
		route(builder(auth.uri("/check")).includeBodyOnDeny(true).build());

		HttpResponse<String> response = client.get("/orders/1");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).doesNotContain("10.0.0.7");
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "server_error")).isEqualTo(1);
	}

	@Test
	void anAnswerLargerThanMaxResponseSizeIsAFailure() {
		auth.answer(403).body("x".repeat(2048), "text/plain");
		route(builder(auth.uri("/check")).maxResponseSize(DataSize.ofKilobytes(1)).build());

		assertThat(client.get("/orders/1").statusCode()).isEqualTo(403);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "too_large")).isEqualTo(1);
	}

	@Test
	void failingChecksOpenTheBreakerAndLaterRequestsFailWithoutACall() {
		auth.answer(500);
		route(builder(auth.uri("/check"))
			.circuitBreaker(new CircuitBreakerPolicy(50.0, null, null, 4, 4, Duration.ofMinutes(1), null, null))
			.build());

		assertThat(client.statuses(6, 1, i -> "/orders/" + i)).containsOnly(403);

		assertThat(auth.calls()).isEqualTo(4);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "server_error")).isEqualTo(4);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "breaker_open")).isEqualTo(2);
	}

	@Test
	void aDecisionWithMaxAgeIsReusedForTheSameCheckOnly() {
		auth.answer(200, "Cache-Control", "max-age=60", "x-user-id", "alice");
		route(builder(auth.uri("/check")).headersToUpstreamOnAllow("x-user-id").build());
		Map<String, String> alice = Map.of("Authorization", "Bearer alice");

		assertThat(client.get("/orders/1", alice).statusCode()).isEqualTo(200);
		assertThat(client.get("/orders/1", alice).statusCode()).isEqualTo(200);
		assertThat(client.get("/orders/1", alice).statusCode()).isEqualTo(200);
		assertThat(auth.calls()).isEqualTo(1);
		// the kept decision's headers reach the upstream as the first one's did
		assertThat(upstream.received()).extracting(r -> r.headers().get("x-user-id")).containsOnly("alice");

		assertThat(client.get("/orders/1", Map.of("Authorization", "Bearer bob")).statusCode()).isEqualTo(200);
		assertThat(client.get("/orders/2", alice).statusCode()).isEqualTo(200);
		assertThat(auth.calls()).isEqualTo(3);
		assertThat(counter(MeshMetrics.EXT_AUTHZ_DECISIONS, "route", id, "decision", "allow", "source", "cache"))
			.isEqualTo(2);
	}

	@Test
	void aDenialWithMaxAgeIsReusedToo() {
		auth.answer(403, "Cache-Control", "public, s-maxage=30, max-age=0");
		route(policy(auth.uri("/check")));

		assertThat(client.statuses(3, 1, i -> "/orders/1")).containsOnly(403);

		assertThat(auth.calls()).isEqualTo(1);
		assertThat(upstream.hits()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "no-store, max-age=60", "private, max-age=60", "no-cache, max-age=60", "max-age=0" })
	void aDecisionTheAuthServiceDoesNotLetBeKeptIsAskedForEveryTime(String cacheControl) {
		if (cacheControl.isEmpty()) {
			auth.answer(200);
		}
		else {
			auth.answer(200, "Cache-Control", cacheControl);
		}
		route(policy(auth.uri("/check")));

		assertThat(client.statuses(3, 1, i -> "/orders/1")).containsOnly(200);

		assertThat(auth.calls()).isEqualTo(3);
	}

	@Test
	void withoutACacheEveryRequestIsChecked() {
		auth.answer(200, "Cache-Control", "max-age=60");
		route(builder(auth.uri("/check")).cache(new DecisionCachePolicy(0, null)).build());

		assertThat(client.statuses(3, 1, i -> "/orders/1")).containsOnly(200);

		assertThat(auth.calls()).isEqualTo(3);
	}

	@Test
	void aFailureIsNeverKept() {
		auth.answer(503, "Cache-Control", "max-age=60");
		route(policy(auth.uri("/check")));

		assertThat(client.statuses(2, 1, i -> "/orders/1")).containsOnly(403);

		auth.answer(200);
		assertThat(client.get("/orders/1").statusCode()).isEqualTo(200);
		assertThat(auth.calls()).isEqualTo(3);
	}

	@Test
	void anHttpsAuthServiceIsVerifiedAgainstTheConfiguredCas(@TempDir Path certificates) {
		TestPki pki = TestPki.create("authz-ca");
		try (AuthServer https = new AuthServer(pki.issue("authz", List.of("ip:127.0.0.1")))) {
			https.answer(200, "x-user-id", "alice");
			route(builder(https.uri("/check"))
				.tls(new TlsPolicy(TlsPolicy.Mode.SIMPLE, pki.writeCa(certificates), null, null, null, null))
				.headersToUpstreamOnAllow("x-user-id")
				.build());

			assertThat(client.get("/orders/1").statusCode()).isEqualTo(200);
			assertThat(upstream.received().get(0).headers()).containsEntry("x-user-id", "alice");
			assertThat(https.calls()).isEqualTo(1);
		}
	}

	@Test
	void anHttpsAuthServiceTheJdksCasDoNotTrustFailsTheCheck() {
		TestPki pki = TestPki.create("authz-ca");
		try (AuthServer https = new AuthServer(pki.issue("authz", List.of("ip:127.0.0.1")))) {
			https.answer(200);
			route(policy(https.uri("/check")));

			assertThat(client.get("/orders/1").statusCode()).isEqualTo(403);
			assertThat(https.calls()).isZero();
			assertThat(counter(MeshMetrics.EXT_AUTHZ_FAILURES, "route", id, "reason", "connection")).isEqualTo(1);
		}
	}

	@Test
	void aRouteWithoutExtAuthzNeverCallsTheAuthService() {
		auth.answer(403);
		upstream = start("orders");
		apply(List.of(Upstream.of("orders", upstream.url())), Route.of(id, "/orders/**", Backend.of("orders", 1)),
				Route.of("admin", "/admin/**", Backend.of("orders", 1)).withExtAuthz(policy(auth.uri("/check"))));

		assertThat(client.get("/orders/1").statusCode()).isEqualTo(200);
		assertThat(client.get("/admin/1").statusCode()).isEqualTo(403);

		assertThat(auth.calls()).isEqualTo(1);
	}

}
