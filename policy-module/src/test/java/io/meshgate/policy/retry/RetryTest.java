package io.meshgate.policy.retry;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.EndpointSpec;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgeted retries and route timeouts end to end. */
class RetryTest extends GatewayTest {

	@Test
	void attemptThatFailsOnOneEndpointSucceedsOnAnother() {
		TestUpstream good = start("good");
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", List.of(endpoint(good), endpoint(failing),
				EndpointSpec.of(TestUpstream.refusingUrl())))),
				route("retried", RetryPolicy.attempts(2)));

		assertThat(client.bodies(90, 3, i -> "/svc/" + i)).containsOnly("good");
		assertThat(failing.hits()).isPositive();
		assertThat(counter("meshgate.retries", "route", "retried", "outcome", "retried")).isGreaterThan(0);
	}

	@Test
	void theBackoffJitterIsDrawnFromTheApplicationsRandomGenerator() {
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", failing.url())), route("jitter", RetryPolicy.attempts(2)));
		random.reseed(SeededRandom.SEED);

		assertThat(client.get("/svc/1").statusCode()).isEqualTo(503);

		// two retries, one jitter draw before each: none from a generator the tests cannot seed
		assertThat(failing.hits()).isEqualTo(3);
		assertThat(random.draws()).isEqualTo(2);
	}

	@Test
	void postIsNotRetriedByDefaultButGetIs() {
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", failing.url())), route("methods", RetryPolicy.attempts(2)));

		assertThat(post("/svc/orders", "{\"item\":1}").block()).isEqualTo(503);
		assertThat(failing.hits()).isEqualTo(1);

		HttpResponse<String> get = client.get("/svc/orders");
		assertThat(get.statusCode()).isEqualTo(503);
		assertThat(get.body()).isEqualTo("failing");
		assertThat(failing.hits()).isEqualTo(1 + 3);
	}

	@Test
	void nonIdempotentRetryReplaysTheBody() {
		TestUpstream failing = start("failing").status(503);
		apply(List.of(Upstream.of("svc", failing.url())), route("replay",
				new RetryPolicy(2, null, null, null, null, null, null, true, null)));

		assertThat(post("/svc/orders", "{\"item\":1}").block()).isEqualTo(503);

		assertThat(failing.received()).hasSize(3)
			.allSatisfy(request -> assertThat(new String(request.body())).isEqualTo("{\"item\":1}"));
	}

	@Test
	void budgetCapsRetriesWhenEveryAttemptFails() {
		TestUpstream failing = start("failing").status(503).delay(Duration.ofMillis(50));
		apply(List.of(Upstream.of("svc", failing.url())),
				route("budget", new RetryPolicy(3, null, null, null, null, 20.0, 1, null, null)));

		List<Integer> statuses = client.statuses(200, 20, i -> "/svc/" + i);

		// the last try's 503 goes to the client (a 504 only if a loaded machine hits the response timeout)
		assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(503, 504));
		assertThat(statuses.stream().filter(status -> status == 503).count()).isGreaterThan(190L);
		// without a budget: 200 requests x 4 attempts = 800 calls
		assertThat(failing.hits()).isLessThan(300);
		assertThat(counter("meshgate.retries", "route", "budget", "outcome", "budget_exhausted")).isGreaterThan(0);
	}

	@Test
	void perTryTimeoutMovesOnToAFasterEndpoint() {
		TestUpstream slow = start("slow").delay(Duration.ofSeconds(3));
		TestUpstream fast = start("fast");
		apply(List.of(Upstream.of("svc", List.of(endpoint(slow), endpoint(fast)))),
				route("per-try", new RetryPolicy(2, Duration.ofMillis(200), List.of(RetryOn.of("timeout")), null, null,
						100.0, null, null, null)));

		assertThat(client.bodies(10, 2, i -> "/svc/" + i)).containsOnly("fast");
	}

	@Test
	void routeTimeoutAnswers504WithJson() {
		TestUpstream slow = start("slow").delay(Duration.ofSeconds(3));
		apply(List.of(Upstream.of("svc", slow.url())),
				Route.of("timed", "/svc/**", Backend.of("svc", 1)).withTimeout(Duration.ofMillis(300)));

		long start = System.nanoTime();
		HttpResponse<String> response = client.get("/svc/x");

		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"status\":504").contains("\"route\":\"timed\"");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
	}

	private Mono<Integer> post(String path, String body) {
		return HttpClient.create()
			.headers(h -> h.set("Content-Type", "application/json").set("Content-Length", body.length()))
			.post()
			.uri("http://127.0.0.1:" + port + path)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> Mono.just(response.status().code()));
	}

	private static Route route(String id, RetryPolicy retries) {
		return Route.of(id, "/svc/**", Backend.of("svc", 1)).withRetries(retries);
	}

	private static EndpointSpec endpoint(TestUpstream server) {
		return EndpointSpec.of(server.url());
	}

}
