package io.meshgate.policy.upstream.call;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The upstream call's guard comes before its pick and its accounting: a refused call costs neither. */
class UpstreamCallAccountingTest extends GatewayTest {

	@Autowired
	UpstreamRegistry upstreams;

	@Test
	void aCallTheOpenBreakerRefusesIsNeitherSentNorCountedInFlight() {
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", failing.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(50.0, null, null, 10, 5, Duration.ofSeconds(60), null, null))),
				Route.of("guarded", "/svc/**", Backend.of("svc", 1)));
		UpstreamEndpoint endpoint = upstreams.get("svc").allEndpoints().get(0);

		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/svc/" + i).body()).isEqualTo("failing");
		}
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> refused = client.get("/svc/refused");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("its circuit breaker is OPEN");
		}

		assertThat(failing.hits()).isEqualTo(5);
		// the response is written only after the call's accounting ended: nothing is left in flight
		assertThat(endpoint.inFlight()).isZero();
		assertThat(endpoint.calls()).isEqualTo(5);
		assertThat(endpoint.failedCalls()).isEqualTo(5);
	}

	@Test
	void eachEndpointCountsItsCallsAndThoseAnswered5xxOrNotAtAll() {
		TestUpstream ok = start("ok");
		TestUpstream bad = start("bad").status(502);
		String refusing = TestUpstream.refusingUrl();
		apply(List.of(Upstream.of("ok", ok.url()), Upstream.of("bad", bad.url()), Upstream.of("gone", refusing)),
				Route.of("ok", "/ok/**", Backend.of("ok", 1)), Route.of("bad", "/bad/**", Backend.of("bad", 1)),
				Route.of("gone", "/gone/**", Backend.of("gone", 1)));
		for (int i = 0; i < 3; i++) {
			assertThat(client.get("/ok/" + i).statusCode()).isEqualTo(200);
			assertThat(client.get("/bad/" + i).statusCode()).isEqualTo(502);
			assertThat(client.get("/gone/" + i).statusCode()).isGreaterThanOrEqualTo(500);
		}

		UpstreamEndpoint okEndpoint = upstreams.get("ok").allEndpoints().get(0);
		UpstreamEndpoint badEndpoint = upstreams.get("bad").allEndpoints().get(0);
		UpstreamEndpoint goneEndpoint = upstreams.get("gone").allEndpoints().get(0);
		// a 5xx answer's accounting may end just after the client has read it: wait for the exact counts
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(List.of(okEndpoint.calls(), okEndpoint.failedCalls())).containsExactly(3L, 0L);
			assertThat(List.of(badEndpoint.calls(), badEndpoint.failedCalls())).containsExactly(3L, 3L);
			assertThat(List.of(goneEndpoint.calls(), goneEndpoint.failedCalls())).containsExactly(3L, 3L);
		});
	}

}
