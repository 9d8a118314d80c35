package io.meshgate.policy.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.util.unit.DataSize;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Traffic mirroring end to end: the primary never waits for, or depends on, the mirror. */
class MirrorTest extends GatewayTest {

	TestUpstream primary;

	TestUpstream shadow;

	@BeforeEach
	void servers() {
		primary = start("primary");
		shadow = start("shadow");
	}

	@Test
	void slowMirrorLeavesThePrimaryLatencyAlone() {
		route("latency", MirrorPolicy.of("shadow", 0));
		long without = medianMillis(60);

		shadow.delay(Duration.ofSeconds(2));
		route("latency", new MirrorPolicy("shadow", 100.0, null, 1000, Duration.ofSeconds(10), null));
		long with = medianMillis(60);

		// awaiting the mirror would put the median at 2000 ms
		assertThat(with).isLessThan(without + 50);
		await().atMost(Duration.ofSeconds(10)).until(() -> shadow.hits() == 60);
	}

	@Test
	void mirrorThatIsDownCausesNoPrimaryError() {
		apply(List.of(Upstream.of("primary", primary.url()), Upstream.of("down", TestUpstream.refusingUrl())),
				route("down").withMirrors(MirrorPolicy.of("down", 100)));

		assertThat(client.bodies(200, 4, i -> "/orders/" + i)).hasSize(200).containsOnly("primary");
		await().until(() -> counter("meshgate.mirror.requests", "route", "down", "outcome", "failed") == 200);
		assertThat(counter("meshgate.mirror.requests", "route", "down", "outcome", "mirrored")).isZero();
	}

	@Test
	void aCopyPastItsTimeoutFailsAndGivesItsPermitBack() {
		shadow.delay(Duration.ofSeconds(30));
		route("hanging", new MirrorPolicy("shadow", 100.0, null, 2, Duration.ofMillis(300), null));

		assertThat(client.bodies(2, 1, i -> "/orders/" + i)).containsOnly("primary");
		await().atMost(Duration.ofSeconds(3))
			.until(() -> counter("meshgate.mirror.requests", "route", "hanging", "outcome", "failed") == 2);
		// both permits are back: the next two copies are sent (and time out), none is dropped
		assertThat(client.bodies(2, 1, i -> "/orders/" + i)).containsOnly("primary");
		await().atMost(Duration.ofSeconds(3))
			.until(() -> counter("meshgate.mirror.requests", "route", "hanging", "outcome", "failed") == 4);
		assertThat(counter("meshgate.mirror.requests", "route", "hanging", "outcome", "dropped")).isZero();
		assertThat(shadow.hits()).isEqualTo(4);
	}

	@Test
	void percentageSamplesTheRequests() {
		route("sampled", MirrorPolicy.of("shadow", 20));
		random.reseed(SeededRandom.SEED);

		client.bodies(2000, 8, i -> "/orders/" + i);

		// seed 23's first 2,000 draws of nextDouble() fall 405 times under 0.20
		await().until(() -> counter("meshgate.mirror.requests", "route", "sampled", "outcome", "mirrored") == 405);
		// a copy reaches the shadow before it counts as mirrored: a 406th would show here
		assertThat(shadow.hits()).isEqualTo(405);
	}

	@Test
	void copyHasTheSameRequestWithAShadowHost() {
		route("copied", MirrorPolicy.of("shadow", 100));
		byte[] body = new byte[10_000];
		new Random(7).nextBytes(body);

		String answer = HttpClient.create()
			.headers(h -> h.set("Host", "orders.example.com").set("X-Trace", "abc").set("Content-Type", "application/octet-stream"))
			.post()
			.uri("http://127.0.0.1:" + port + "/orders/7?expand=items")
			.send(ByteBufFlux.fromInbound(Mono.just(body)))
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));

		assertThat(answer).isEqualTo("primary");
		await().until(() -> shadow.hits() == 1);
		TestUpstream.Received copy = shadow.received().get(0);
		TestUpstream.Received original = primary.received().get(0);
		assertThat(copy.method()).isEqualTo("POST");
		assertThat(copy.uri()).isEqualTo("/orders/7?expand=items");
		assertThat(copy.body()).isEqualTo(body).isEqualTo(original.body());
		assertThat(copy.headers()).containsEntry("host", "orders.example.com-shadow")
			.containsEntry("x-meshgate-shadow", "true")
			.containsEntry("x-trace", "abc")
			.containsEntry("content-type", "application/octet-stream");
		assertThat(original.headers()).doesNotContainKey("x-meshgate-shadow");
	}

	@Test
	void copiesBeyondTheConcurrencyCapAreDroppedAndCounted() {
		shadow.delay(Duration.ofSeconds(1));
		route("capped", new MirrorPolicy("shadow", 100.0, null, 2, Duration.ofSeconds(5), null));

		assertThat(client.bodies(40, 8, i -> "/orders/" + i)).containsOnly("primary");

		double dropped = counter("meshgate.mirror.requests", "route", "capped", "outcome", "dropped");
		assertThat(dropped).isGreaterThanOrEqualTo(30);
		await().until(() -> counter("meshgate.mirror.requests", "route", "capped", "outcome", "mirrored")
				+ dropped == 40);
	}

	/**
	 * A copy with a body holds its place in {@code maxConcurrent} until the mirror answers it, even
	 * when the primary was answered long before: with a cap of one, the second of two requests is
	 * not copied while the first copy waits for its answer.
	 */
	@Test
	void aCopyWithABodyHoldsItsPermitUntilTheMirrorAnswersIt() {
		try (HeldServer held = new HeldServer()) {
			apply(List.of(Upstream.of("primary", primary.url()), Upstream.of("held", held.url())),
					route("bodies").withMirrors(new MirrorPolicy("held", 100.0, null, 1, Duration.ofSeconds(30), null)));

			assertThat(post("/orders/1", "first")).isEqualTo("primary");
			await().until(() -> held.received() == 1);
			assertThat(post("/orders/2", "second")).isEqualTo("primary");

			assertThat(counter("meshgate.mirror.requests", "route", "bodies", "outcome", "dropped")).isEqualTo(1);
			assertThat(held.received()).isEqualTo(1);
			held.release();
			await().until(() -> counter("meshgate.mirror.requests", "route", "bodies", "outcome", "mirrored") == 1);
			// its permit is back: the next copy goes out
			assertThat(post("/orders/3", "third")).isEqualTo("primary");
			await().until(() -> counter("meshgate.mirror.requests", "route", "bodies", "outcome", "mirrored") == 2);
		}
	}

	private String post(String path, String body) {
		return HttpClient.create()
			.post()
			.uri("http://127.0.0.1:" + port + path)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));
	}

	@Test
	void bodiesOverTheLimitAreNotMirroredButCounted() {
		route("large", new MirrorPolicy("shadow", 100.0, DataSize.ofKilobytes(1), null, null, null));

		String answer = HttpClient.create()
			.post()
			.uri("http://127.0.0.1:" + port + "/orders/7")
			.send(ByteBufFlux.fromString(Mono.just("x".repeat(4096))))
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));

		assertThat(answer).isEqualTo("primary");
		assertThat(primary.received().get(0).body()).hasSize(4096);
		assertThat(counter("meshgate.mirror.requests", "route", "large", "outcome", "too_large")).isEqualTo(1);
		assertThat(shadow.hits()).isZero();
	}

	private long medianMillis(int requests) {
		List<Long> times = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			long start = System.nanoTime();
			assertThat(client.get("/orders/" + i).statusCode()).isEqualTo(200);
			times.add((System.nanoTime() - start) / 1_000_000);
		}
		return times.stream().sorted().toList().get(requests / 2);
	}

	private void route(String id, MirrorPolicy mirror) {
		apply(List.of(Upstream.of("primary", primary.url()), Upstream.of("shadow", shadow.url())),
				route(id).withMirrors(mirror));
	}

	/** A route of its own per test: mirror counters are tagged with the route. */
	private static Route route(String id) {
		return Route.of(id, "/orders/**", Backend.of("primary", 1));
	}

}
