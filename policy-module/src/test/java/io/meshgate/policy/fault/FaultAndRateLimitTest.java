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
import io.meshgate.policy.testing.SeededRandom;
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
		random.reseed(SeededRandom.SEED);

		List<Integer> statuses = client.statuses(2000, 8, i -> "/svc/" + i);

		// one draw per request: seed 23's first 2,000 draws of nextDouble() fall 601 times under 0.30
		assertThat(count(statuses.stream().map(String::valueOf).toList())).containsOnly(Map.entry("418", 601L),
				Map.entry("200", 1_399L));
		assertThat(upstream.hits()).isEqualTo(1_399);
		HttpResponse<String> one = anAborted();
		assertThat(one.headers().firstValue("x-meshgate-fault")).hasValue("abort");
		assertThat(one.body()).contains("\"message\":\"fault injected\"");
	}

	@Test
	void delaysTheirShare() {
		route(route().withFault(new FaultPolicy(new FaultPolicy.Delay(25.0, Duration.ofMillis(150)), null)));
		// the first request of a route opens its upstream connection: not part of the measure
		assertThat(client.get("/svc/warm-up").statusCode()).isEqualTo(200);
		random.reseed(SeededRandom.SEED);
		SeededRandom replay = new SeededRandom(SeededRandom.SEED);

		List<Integer> delayed = new ArrayList<>();
		List<Integer> slow = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			if (replay.nextDouble() * 100 < 25) {
				delayed.add(i);
			}
			long start = System.nanoTime();
			assertThat(client.get("/svc/" + i).statusCode()).isEqualTo(200);
			if (System.nanoTime() - start >= Duration.ofMillis(150).toNanos()) {
				slow.add(i);
			}
		}

		// requests one at a time, one draw each, so the gateway's draws are the replay's: exactly
		// those whose draw falls under 0.25 wait, 51 of seed 23's first 200, and each of them waits
		// at least 150 ms
		assertThat(random.draws()).isEqualTo(200);
		assertThat(delayed).hasSize(51);
		assertThat(slow).containsAll(delayed);
		// the others answer in milliseconds on loopback, though a machine far over its CPUs can stall
		// a few past 150 ms (seen: 3 of 149 at a load average of 35); a delay on every request would
		// make all 149 slow
		assertThat(slow.size() - delayed.size()).isLessThan((200 - 51) / 2);
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
