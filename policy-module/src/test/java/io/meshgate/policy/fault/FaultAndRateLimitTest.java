package io.meshgate.policy.fault;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Fault injection at its percentages, and local rate limits. */
class FaultAndRateLimitTest extends GatewayTest {

	TestUpstream upstream;

	@BeforeEach
	void upstream() {
		upstream = start("ok");
	}

	@Test
	void abortsTheirShareWithTheConfiguredStatus() {
		route(route().withFault(new FaultPolicy(null, new FaultPolicy.Abort(30.0, 418))));

		List<Integer> statuses = client.statuses(2000, 8, i -> "/svc/" + i);

		long aborted = statuses.stream().filter(s -> s == 418).count();
		assertThat(aborted).isBetween(520L, 680L);
		assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(2000 - aborted);
		assertThat(upstream.hits()).isEqualTo((int) (2000 - aborted));
		HttpResponse<String> one = anAborted();
		assertThat(one.headers().firstValue("x-meshgate-fault")).hasValue("abort");
		assertThat(one.body()).contains("\"message\":\"fault injected\"");
	}

	@Test
	void delaysTheirShare() {
		route(route().withFault(new FaultPolicy(new FaultPolicy.Delay(25.0, Duration.ofMillis(150)), null)));

		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			long start = System.nanoTime();
			assertThat(client.get("/svc/" + i).statusCode()).isEqualTo(200);
			millis.add((System.nanoTime() - start) / 1_000_000);
		}

		long delayed = millis.stream().filter(ms -> ms >= 150).count();
		assertThat(delayed).isBetween(25L, 80L);
	}

	@Test
	void rateLimitAnswers429WithRetryAfterPerClientKey() {
		route(route().withRateLimit(
				new RateLimitPolicy(5, 5, Duration.ofSeconds(10), HashKey.of("header:x-api-key"), null)));

		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/svc/1", Map.of("x-api-key", "alice")).statusCode()).isEqualTo(200);
		}
		HttpResponse<String> limited = client.get("/svc/1", Map.of("x-api-key", "alice"));

		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After").map(Integer::parseInt)).hasValueSatisfying(
				seconds -> assertThat(seconds).isBetween(1, 10));
		assertThat(limited.body()).contains("\"status\":429").contains("rate limit");
		assertThat(client.get("/svc/1", Map.of("x-api-key", "bob")).statusCode()).isEqualTo(200);
		assertThat(upstream.hits()).isEqualTo(6);
	}

	private HttpResponse<String> anAborted() {
		for (int i = 0; i < 100; i++) {
			HttpResponse<String> response = client.get("/svc/x");
			if (response.statusCode() == 418) {
				return response;
			}
		}
		throw new AssertionError("no request aborted in 100");
	}

	private void route(Route route) {
		apply(List.of(Upstream.of("svc", upstream.url())), route);
	}

	private static Route route() {
		return Route.of("svc", "/svc/**", Backend.of("svc", 1));
	}

}
