package io.meshgate.policy.upstream;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.outlier.OutlierDetectionPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Circuit breaking, outlier detection and active health checks end to end. */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamPoliciesTest extends GatewayTest {

	@Autowired
	UpstreamRegistry upstreams;

	@Test
	void breakerOpensAnswers503AtOnceThenHalfOpensAndClosesAfterRecovery(CapturedOutput output) {
		TestUpstream server = start("svc").status(500);
		route(Upstream.of("svc", server.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(50.0, null, null, 10, 5, Duration.ofSeconds(1), 2, null)));

		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/svc/" + i).statusCode()).isEqualTo(500);
		}
		HttpResponse<String> open = client.get("/svc/open");

		assertThat(open.statusCode()).isEqualTo(503);
		assertThat(open.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(open.body()).contains("\"message\":\"upstream svc is unavailable: its circuit breaker is OPEN\"")
			.contains("\"state\":\"OPEN\"")
			.contains("\"upstream\":\"svc\"");
		assertThat(server.hits()).isEqualTo(5);

		server.status(200);
		// after the open wait, probes go through one by one until the half-open quota (2) succeeded
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> client.get("/svc/probe").statusCode() == 200 && breaker().getState() == CircuitBreaker.State.CLOSED);
		assertThat(client.bodies(20, 2, i -> "/svc/" + i)).containsOnly("svc");
		// each transition logged once, seen without an event consumer: none builds an event per call
		assertThat(output.getOut().lines().filter(line -> line.contains("Circuit breaker of upstream svc: ")))
			.hasSize(3)
			.anySatisfy(line -> assertThat(line).contains("CLOSED -> OPEN (failure rate 100.0%"))
			.anySatisfy(line -> assertThat(line).contains("OPEN -> HALF_OPEN"))
			.anySatisfy(line -> assertThat(line).contains("HALF_OPEN -> CLOSED"));
		assertThat(((EventProcessor<?>) breaker().getEventPublisher()).hasConsumers()).isFalse();
	}

	@Test
	void callsCutOffByTheRouteTimeoutCountAsFailuresSoAHangingUpstreamOpensTheBreaker() {
		TestUpstream hanging = start("svc").delay(Duration.ofSeconds(3));
		apply(List.of(Upstream.of("svc", hanging.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(50.0, null, null, 10, 4, Duration.ofSeconds(30), null, null))),
				Route.of("svc", "/svc/**", Backend.of("svc", 1)).withTimeout(Duration.ofMillis(200)));

		for (int i = 0; i < 4; i++) {
			assertThat(client.get("/svc/" + i).statusCode()).isEqualTo(504);
		}

		HttpResponse<String> open = client.get("/svc/open");
		assertThat(open.statusCode()).isEqualTo(503);
		assertThat(open.body()).contains("\"state\":\"OPEN\"");
		assertThat(hanging.hits()).isEqualTo(4);
	}

	@Test
	void concurrencyCapRejectsBeyondItAtOnce() {
		TestUpstream server = start("svc").delay(Duration.ofMillis(500));
		route(Upstream.of("svc", server.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(null, null, null, null, null, null, null, 2)));

		List<Integer> statuses = client.statuses(12, 12, i -> "/svc/" + i);

		assertThat(statuses).containsOnly(200, 503);
		assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(2L, 6L);
		assertThat(server.hits()).isEqualTo((int) statuses.stream().filter(s -> s == 200).count());
	}

	@Test
	void editingThresholdsReplacesTheBreaker() {
		TestUpstream server = start("svc");
		route(Upstream.of("svc", server.url()).withCircuitBreaker(CircuitBreakerPolicy.defaults()));
		CircuitBreaker first = breaker();

		route(Upstream.of("svc", server.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(20.0, null, null, null, null, null, null, null)));

		assertThat(breaker()).isNotSameAs(first);
		assertThat(breaker().getCircuitBreakerConfig().getFailureRateThreshold()).isEqualTo(20f);
		assertThat(client.get("/svc/x").statusCode()).isEqualTo(200);
	}

	@Test
	void failingEndpointIsEjectedAndReturnsAfterItsEjectionTime() {
		TestUpstream good1 = start("good-1");
		TestUpstream good2 = start("good-2");
		TestUpstream bad = start("bad").status(500);
		route(upstream(good1, good2, bad)
			.withOutlierDetection(new OutlierDetectionPolicy(3, null, null, Duration.ofSeconds(6), 50.0)));
		client.statuses(9, 1, i -> "/svc/" + i);
		assertThat(bad.hits()).isEqualTo(3);

		// 300 requests take well under a second on a quiet machine, a few seconds at a load of 30 on
		// two CPUs: far inside the 6 s ejection; the bound still allows one more round of 3 after it
		List<Integer> after = client.statuses(300, 4, i -> "/svc/" + i);

		assertThat(after.stream().filter(s -> s == 200).count()).isGreaterThanOrEqualTo(297L);
		assertThat(bad.hits()).isLessThanOrEqualTo(6);
		int before = bad.hits();
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			client.get("/svc/again");
			return bad.hits() > before;
		});
	}

	@Test
	void maxEjectionPercentHolds() {
		TestUpstream a = start("a").status(500);
		TestUpstream b = start("b").status(500);
		TestUpstream c = start("c").status(500);
		route(upstream(a, b, c)
			.withOutlierDetection(new OutlierDetectionPolicy(2, null, null, Duration.ofSeconds(30), 50.0)));

		client.statuses(30, 1, i -> "/svc/" + i);

		// one of three may go (50 % allows 1.5); a second would make 67 %
		assertThat(upstreams.get("svc").endpoints()).hasSize(2);
		assertThat(counter("meshgate.outlier.ejections", "upstream", "svc")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void endpointFailingItsHealthCheckGetsNoTrafficUntilItRecovers() {
		TestUpstream healthy = start("healthy");
		TestUpstream sick = start("sick").healthStatus(503);
		route(upstream(healthy, sick).withHealthCheck(
				new HealthCheckPolicy(TestUpstream.HEALTH_PATH, Duration.ofMillis(100), Duration.ofMillis(100), 2, 2, null, null)));

		await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.get("svc").endpoints().size() == 1);
		assertThat(client.bodies(50, 2, i -> "/svc/" + i)).containsOnly("healthy");

		sick.healthStatus(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.get("svc").endpoints().size() == 2);
		assertThat(client.bodies(50, 2, i -> "/svc/" + i)).contains("healthy", "sick");
	}

	private CircuitBreaker breaker() {
		return upstreams.get("svc").breaker().circuitBreaker();
	}

	private static Upstream upstream(TestUpstream... servers) {
		return Upstream.of("svc", Stream.of(servers).map(s -> EndpointSpec.of(s.url())).toList());
	}

	private void route(Upstream upstream) {
		apply(List.of(upstream), Route.of("svc", "/svc/**", Backend.of("svc", 1)));
	}

}
