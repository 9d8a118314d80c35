package io.meshgate.policy.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;

import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.mirror.compare.ShadowComparisons.Findings;
import io.meshgate.policy.observe.Masking;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mirror comparing its copies' answers with the primary's, end to end: three JSON servers on
 * loopback (the primary, a second instance of its version, the shadow), every answer stamped with
 * its server's own counter, so that {@code $.at} differs between any two servers (noise), while
 * the shadow's {@code $.price} differs on every fourth request (a real difference).
 */
class MirrorComparisonTest extends GatewayTest {

	@Autowired
	MirrorComparisons comparisons;

	private final List<DisposableServer> servers = new ArrayList<>();

	@AfterEach
	void stopJsonServers() {
		servers.forEach(server -> server.disposeNow(Duration.ofSeconds(5)));
	}

	@Test
	void differencesAreCountedAndNoiseIsNot() {
		String primary = json(n -> "{\"at\":" + n + ",\"price\":10,\"token\":\"t\"}");
		String second = json(n -> "{\"at\":" + (1000 + n) + ",\"price\":10,\"token\":\"t\"}");
		String shadow = json(n -> "{\"at\":" + (2000 + n) + ",\"price\":" + (n % 4 == 1 ? 11 : 10) + ",\"token\":\"t\"}");
		ComparePolicy compare = new ComparePolicy(null, List.of("content-type"), null, null, 3, "orders-v1-b");
		apply(List.of(Upstream.of("orders-v1", primary), Upstream.of("orders-v1-b", second), Upstream.of("orders-v2", shadow)),
				Route.of("compared", "/orders/**", Backend.of("orders-v1", 1))
					.withMirrors(MirrorPolicy.of("orders-v2", 100).withCompare(compare)));

		// one at a time, so that each server's counter numbers the same request alike
		for (int i = 1; i <= 40; i++) {
			assertThat(client.bodies(1, 1, n -> "/orders/1")).singleElement().asString().contains("\"price\":10");
			int compared = i;
			await().atMost(Duration.ofSeconds(10)).until(() -> total() == compared);
		}

		Findings findings = comparisons.findings("compared", "orders-v2", 5);
		assertThat(findings.comparisons()).isEqualTo(40);
		assertThat(findings.matches()).isEqualTo(30);
		assertThat(findings.topPaths()).containsExactly(Map.entry("$.price", 10L));
		assertThat(findings.latest()).hasSize(3).allSatisfy(pair -> {
			assertThat(pair.paths()).containsExactly("$.price");
			assertThat(pair.shadow().body()).contains("\"price\":11").contains("\"token\":\"" + Masking.MASK + "\"");
			assertThat(pair.primary().headers()).containsEntry("content-type", "application/json");
		});
		assertThat(counter("meshgate.mirror.comparisons", "route", "compared", "outcome", "differ")).isEqualTo(10);
		assertThat(counter("meshgate.mirror.requests", "route", "compared", "outcome", "mirrored")).isEqualTo(40);
	}

	/**
	 * The comparisons' memory bound, {@code maxConcurrent} × 2 × {@code maxBodySize}: the answers
	 * a comparison keeps exist only while it holds one of the mirror's {@code maxConcurrent}
	 * permits, and it holds it until it is compared or given up, not only until the copy is
	 * answered. Here the primaries stream on (held), and a compared copy goes out only once its
	 * primary is done: with a cap of two, two of four requests are compared and two dropped.
	 */
	@Test
	void aComparisonHoldsItsPermitUntilThePrimaryIsComplete() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(4);
		try (HeldServer primary = new HeldServer()) {
			AtomicInteger shadowCalls = new AtomicInteger();
			mirrorComparedBehind("bounded", primary, 2, Duration.ofSeconds(30), shadowCalls);

			List<Future<String>> answers = new ArrayList<>();
			for (int i = 1; i <= 4; i++) {
				answers.add(clients.submit(() -> client.get("/orders/1").body()));
				int sent = i;
				// a request takes a permit or is dropped before its primary is called
				await().atMost(Duration.ofSeconds(10)).until(() -> primary.received() == sent);
			}
			assertThat(mirror("dropped")).as("copies past the two permits").isEqualTo(2);
			assertThat(shadowCalls.get()).as("a compared copy goes out once its primary is done").isZero();
			assertThat(compared("bounded")).isZero();

			primary.release();
			for (Future<String> answer : answers) {
				assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("{\"held\":true}");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> compared("bounded") == 2);
			assertThat(mirror("mirrored")).isEqualTo(2);
			assertThat(counter("meshgate.mirror.comparisons", "route", "bounded", "outcome", "match")).isEqualTo(2);
			// both permits are back
			assertThat(client.get("/orders/1").body()).isEqualTo("{\"held\":true}");
			await().atMost(Duration.ofSeconds(10)).until(() -> compared("bounded") == 3);
			assertThat(mirror("dropped")).isEqualTo(2);
		}
		finally {
			clients.shutdownNow();
		}
	}

	/**
	 * A compared copy waits for its primary, at most the mirror's timeout: a primary that takes
	 * longer is not copied, and its place is given back at the timeout, not when it ends.
	 */
	@Test
	void aPrimarySlowerThanTheMirrorsTimeoutIsNotCopiedAndGivesItsPlaceBackAtTheTimeout() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(2);
		try (HeldServer primary = new HeldServer()) {
			AtomicInteger shadowCalls = new AtomicInteger();
			mirrorComparedBehind("slow", primary, 1, Duration.ofMillis(300), shadowCalls);

			Future<String> held = clients.submit(() -> client.get("/orders/1").body());
			await().atMost(Duration.ofSeconds(10))
				.until(() -> counter("meshgate.mirror.requests", "route", "slow", "outcome", "failed") == 1);
			// the one place is free again while the first primary still streams
			Future<String> second = clients.submit(() -> client.get("/orders/2").body());
			await().atMost(Duration.ofSeconds(10)).until(() -> primary.received() == 2);
			assertThat(counter("meshgate.mirror.requests", "route", "slow", "outcome", "dropped")).isZero();

			primary.release();
			assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("{\"held\":true}");
			assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("{\"held\":true}");
			// the second is compared, or given up too when its primary also outlived the timeout
			await().atMost(Duration.ofSeconds(10)).until(() -> compared("slow") + failed("slow") == 2);
			assertThat(shadowCalls.get()).as("only compared copies went out").isEqualTo((int) compared("slow"));
		}
		finally {
			clients.shutdownNow();
		}
	}

	/**
	 * Route {@code route} to the held primary, every request mirrored and compared to a shadow that
	 * answers at once as the primary does, counting its calls in {@code shadowCalls}.
	 */
	private void mirrorComparedBehind(String route, HeldServer primary, int maxConcurrent, Duration timeout,
			AtomicInteger shadowCalls) {
		String shadow = json(n -> {
			shadowCalls.incrementAndGet();
			return "{\"held\":true}";
		});
		apply(List.of(Upstream.of("held", primary.url()), Upstream.of("quick", shadow)),
				Route.of(route, "/orders/**", Backend.of("held", 1))
					.withMirrors(new MirrorPolicy("quick", 100.0, DataSize.ofKilobytes(1), maxConcurrent, timeout,
							ComparePolicy.DEFAULT)));
	}

	private double failed(String route) {
		return counter("meshgate.mirror.requests", "route", route, "outcome", "failed");
	}

	private double mirror(String outcome) {
		return counter("meshgate.mirror.requests", "route", "bounded", "outcome", outcome);
	}

	@Test
	void aMirrorWithoutCompareReadsNoAnswer() {
		String primary = json(n -> "{}");
		apply(List.of(Upstream.of("p", primary), Upstream.of("s", json(n -> "{\"x\":1}"))),
				Route.of("plain", "/orders/**", Backend.of("p", 1)).withMirrors(MirrorPolicy.of("s", 100)));

		client.bodies(5, 1, n -> "/orders/1");
		await().until(() -> counter("meshgate.mirror.requests", "route", "plain", "outcome", "mirrored") == 5);
		assertThat(comparisons.findings("plain", "s", 5)).isNull();
		assertThat(counter("meshgate.mirror.comparisons", "route", "plain", "outcome", "differ")).isZero();
	}

	private double total() {
		return compared("compared");
	}

	private double compared(String route) {
		return counter("meshgate.mirror.comparisons", "route", route, "outcome", "match")
				+ counter("meshgate.mirror.comparisons", "route", route, "outcome", "differ");
	}

	/** A JSON server answering {@code body(n)} to its n-th request (from 1); its URL. */
	private String json(IntFunction<String> body) {
		AtomicInteger requests = new AtomicInteger();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.then(response.header("Content-Type", "application/json")
					.sendString(Mono.fromSupplier(() -> body.apply(requests.incrementAndGet())))
					.then()))
			.bindNow(Duration.ofSeconds(10));
		servers.add(server);
		return "http://127.0.0.1:" + server.port();
	}

}
