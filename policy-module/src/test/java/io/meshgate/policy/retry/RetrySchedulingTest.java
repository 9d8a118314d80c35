package io.meshgate.policy.retry;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries choose their endpoint apart from the round robin that first tries follow (as Envoy
 * keeps retry host selection apart from the load balancer's schedule): a failing endpoint gets
 * its share of first tries, not every one of them.
 */
class RetrySchedulingTest extends GatewayTest {

	@Test
	void firstTriesKeepAlternatingWhenOneOfTwoEndpointsFails() {
		TestUpstream good = start("good");
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", good.url(), failing.url())),
				Route.of("alternating", "/svc/**", Backend.of("svc", 1)).withRetries(RetryPolicy.attempts(2)));

		for (int i = 0; i < 40; i++) {
			HttpResponse<String> response = client.get("/svc/" + i);
			assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
			assertThat(response.body()).as("request %d", i).isEqualTo("good");
		}

		// round robin over two endpoints: first tries alternate exactly, whatever the retries do
		assertThat(failing.hits()).isEqualTo(20);
		// each request that met the failing endpoint took exactly one retry, to the other one
		assertThat(counter("meshgate.retries", "route", "alternating", "outcome", "retried")).isEqualTo(20);
		assertThat(good.hits()).isEqualTo(40);
	}

	@Test
	void aRetryNeverReturnsToAnEndpointItTriedWhileAnotherIsLeft() {
		TestUpstream good = start("good");
		TestUpstream first = start("first").status(503);
		TestUpstream second = start("second").status(503);
		apply(List.of(Upstream.of("svc", first.url(), second.url(), good.url())),
				Route.of("avoiding", "/svc/**", Backend.of("svc", 1)).withRetries(RetryPolicy.attempts(2)));

		for (int i = 0; i < 30; i++) {
			assertThat(client.get("/svc/" + i).body()).as("request %d", i).isEqualTo("good");
		}

		// every request reached the good endpoint once, within its two retries
		assertThat(good.hits()).isEqualTo(30);
		// first tries: 10 on each endpoint; each failing first try retried once or twice, never twice on one
		assertThat(first.hits() + second.hits()).isEqualTo(
				(int) counter("meshgate.retries", "route", "avoiding", "outcome", "retried"));
		assertThat(first.hits()).isBetween(10, 20);
		assertThat(second.hits()).isBetween(10, 20);
	}

}
