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
	}

}
