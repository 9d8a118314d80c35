package io.meshgate.policy.match;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route, header and query regular expressions on RE2's linear-time engine: a pattern that makes a
 * backtracking engine run for seconds per request ({@code (.*a){12}} against {@code a!a!…}, which
 * never matches) answers at once, and the event loops stay free for other requests.
 */
class LinearRegexRoutesTest extends GatewayTest {

	private static final String CATASTROPHIC = "(.*a){12}";

	private static final String HOSTILE = "a!".repeat(29);

	private final ExecutorService clients = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopClients() {
		clients.shutdownNow();
	}

	@Test
	void aCatastrophicPathRegexDoesNotStallTheEventLoops() {
		TestUpstream upstream = start("ok");
		apply(List.of(Upstream.of("ok", upstream.url())),
				Route.of("re", RouteMatch.path(PathType.REGEX, "/re/" + CATASTROPHIC), List.of(Backend.of("ok", 1))),
				Route.of("other", "/other/**", Backend.of("ok", 1)));

		List<CompletableFuture<RawHttp.Response>> hostile = List.of(
				CompletableFuture.supplyAsync(() -> RawHttp.get(port, "/re/" + HOSTILE), clients),
				CompletableFuture.supplyAsync(() -> RawHttp.get(port, "/re/" + HOSTILE), clients));

		assertThat(RawHttp.get(port, "/other/x").status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> hostile.stream().allMatch(CompletableFuture::isDone));
		assertThat(hostile).allSatisfy(response -> assertThat(response.join().status()).isEqualTo(404));
		assertThat(RawHttp.get(port, "/re/" + "xa".repeat(12)).status()).isEqualTo(200);
	}

	@Test
	void catastrophicHeaderAndQueryRegexesAnswerAtOnce() {
		TestUpstream upstream = start("ok");
		apply(List.of(Upstream.of("ok", upstream.url())),
				Route.of("h", new RouteMatch("/h", PathType.EXACT, null, Map.of("x-probe", CATASTROPHIC), null, null, null, null, null, null),
						List.of(Backend.of("ok", 1))),
				Route.of("q", new RouteMatch("/q", PathType.EXACT, null, null, Map.of("probe", CATASTROPHIC), null, null, null, null, null),
						List.of(Backend.of("ok", 1))));

		CompletableFuture<Integer> header = CompletableFuture
			.supplyAsync(() -> client.get("/h", Map.of("x-probe", HOSTILE)).statusCode(), clients);
		CompletableFuture<Integer> query = CompletableFuture
			.supplyAsync(() -> client.get("/q?probe=" + HOSTILE).statusCode(), clients);

		await().atMost(Duration.ofSeconds(5)).until(() -> header.isDone() && query.isDone());
		assertThat(header.join()).isEqualTo(404);
		assertThat(query.join()).isEqualTo(404);
		assertThat(client.get("/h", Map.of("x-probe", "xa".repeat(12))).statusCode()).isEqualTo(200);
		assertThat(client.get("/q?probe=" + "xa".repeat(12)).statusCode()).isEqualTo(200);
	}

}
