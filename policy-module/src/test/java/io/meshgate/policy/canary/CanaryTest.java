package io.meshgate.policy.canary;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Canary splits end to end: two versions of a service behind one route. */
class CanaryTest extends GatewayTest {

	TestUpstream v1;

	TestUpstream v2;

	@BeforeEach
	void versions() {
		v1 = start("v1");
		v2 = start("v2");
	}

	@Test
	void tenThousandRequestsSplitNinetyTenExactlyAsTheSeedsDraws() {
		split(90, 10, null);
		random.reseed(SeededRandom.SEED);

		Map<String, Long> hits = count(client.bodies(10_000, 8, i -> "/orders/" + i));

		// one draw per request, whichever event loop runs it: seed 23's first 10,000 draws of
		// nextInt(100) fall 1,042 times on 90-99
		assertThat(hits).containsOnly(Map.entry("v1", 8_958L), Map.entry("v2", 1_042L));
	}

	@Test
	void stickyKeyAlwaysReachesTheSameBackend() {
		split(50, 50, "cookie:session");

		Map<String, String> first = new HashMap<>();
		for (int round = 0; round < 3; round++) {
			for (int session = 0; session < 200; session++) {
				String backend = get("session=s" + session);
				assertThat(first.putIfAbsent("s" + session, backend)).isIn(null, backend);
			}
		}
		// the hash is fixed: of sessions s0 to s199, exactly these 91 belong to v2 on every replica
		assertThat(count(List.copyOf(first.values())).get("v2")).isEqualTo(91L);
	}

	@Test
	void raisingTheCanaryWeightOnlyMovesKeysToTheCanary() {
		Map<Integer, String> at10 = owners(90, 10);
		Map<Integer, String> at20 = owners(80, 20);
		Map<Integer, String> at50 = owners(50, 50);

		for (int key = 0; key < at10.size(); key++) {
			if (at10.get(key).equals("v2")) {
				assertThat(at20.get(key)).as("key %d", key).isEqualTo("v2");
			}
			if (at20.get(key).equals("v2")) {
				assertThat(at50.get(key)).as("key %d", key).isEqualTo("v2");
			}
		}
		// the hash is fixed: of users user-0 to user-999, exactly these belong to v2
		assertThat(share(at10)).isEqualTo(0.098);
		assertThat(share(at20)).isEqualTo(0.203);
		assertThat(share(at50)).isEqualTo(0.461);
	}

	@Test
	void theOverrideHeaderIsIgnoredUnlessTheRouteTurnsItOn() {
		stickySplit(CanaryPolicy.sticky(HashKey.of("header:x-user")));
		String owner = client.get("/orders/1", Map.of("x-user", "u-1")).body();
		String other = owner.equals("v1") ? "v2" : "v1";

		for (int i = 0; i < 20; i++) {
			assertThat(client.get("/orders/1", Map.of("x-user", "u-1", "x-canary", other)).body()).isEqualTo(owner);
		}
	}

	@Test
	void aRouteThatTurnsTheOverrideOnLetsARequestChooseABackend() {
		stickySplit(CanaryPolicy.sticky(HashKey.of("header:x-user")).withOverride("x-canary"));

		for (int user = 0; user < 20; user++) {
			Map<String, String> asUser = Map.of("x-user", "u-" + user);
			assertThat(client.get("/orders/1", with(asUser, "x-canary", "v2")).body()).isEqualTo("v2");
			assertThat(client.get("/orders/1", with(asUser, "x-canary", "v1")).body()).isEqualTo("v1");
			assertThat(client.get("/orders/1", with(asUser, "x-canary", "unknown")).body())
				.isEqualTo(client.get("/orders/1", asUser).body());
		}
	}

	@Test
	void theOverrideReachesAWeightZeroBackendOnlyWithAllowZeroWeight() {
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 100), Backend.of("v2", 0))
					.withCanary(CanaryPolicy.DEFAULT.withOverride("x-canary")));
		for (int i = 0; i < 20; i++) {
			assertThat(client.get("/orders/1", Map.of("x-canary", "v2")).body()).isEqualTo("v1");
		}

		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 100), Backend.of("v2", 0))
					.withCanary(new CanaryPolicy(null, "x-canary", null, true, null)));
		for (int i = 0; i < 20; i++) {
			assertThat(client.get("/orders/1", Map.of("x-canary", "v2")).body()).isEqualTo("v2");
		}
	}

	@Test
	void theOverrideCountsOnlyFromClientsInOverrideFrom() {
		// the client is 127.0.0.1 (no trusted proxies: the TCP peer)
		overrideFrom(List.of("10.0.0.0/8", "2001:db8::/32"));
		for (int i = 0; i < 20; i++) {
			assertThat(client.get("/orders/1", Map.of("x-canary", "v2")).body()).isEqualTo("v1");
		}

		overrideFrom(List.of("10.0.0.0/8", "127.0.0.0/8"));
		for (int i = 0; i < 20; i++) {
			assertThat(client.get("/orders/1", Map.of("x-canary", "v2")).body()).isEqualTo("v2");
		}
	}

	private void overrideFrom(List<String> ranges) {
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 100), Backend.of("v2", 0))
					.withCanary(new CanaryPolicy(null, "x-canary", ranges, true, null)));
	}

	private void stickySplit(CanaryPolicy canary) {
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", 50), Backend.of("v2", 50)).withCanary(canary));
	}

	private static Map<String, String> with(Map<String, String> headers, String name, String value) {
		Map<String, String> all = new HashMap<>(headers);
		all.put(name, value);
		return all;
	}

	@Test
	void weightChangeAppliesToTheNextRequestWithoutDroppingThoseInFlight() {
		v1.delay(Duration.ofMillis(500));
		split(100, 0, null);
		List<CompletableFuture<HttpResponse<String>>> inFlight = java.util.stream.IntStream.range(0, 10)
			.mapToObj(i -> CompletableFuture.supplyAsync(() -> client.get("/orders/" + i)))
			.toList();
		org.awaitility.Awaitility.await().until(() -> v1.hits() == 10);

		split(0, 100, null);

		assertThat(client.get("/orders/next").body()).isEqualTo("v2");
		assertThat(inFlight).allSatisfy(response -> {
			assertThat(response.join().statusCode()).isEqualTo(200);
			assertThat(response.join().body()).isEqualTo("v1");
		});
	}

	private Map<Integer, String> owners(int w1, int w2) {
		split(w1, w2, "header:x-user");
		Map<Integer, String> owners = new HashMap<>();
		for (int key = 0; key < 1000; key++) {
			owners.put(key, client.get("/orders/1", Map.of("x-user", "user-" + key)).body());
		}
		return owners;
	}

	private static double share(Map<Integer, String> owners) {
		return owners.values().stream().filter("v2"::equals).count() / (double) owners.size();
	}

	private String get(String cookie) {
		return client.get("/orders/1", Map.of("Cookie", cookie)).body();
	}

	private void split(int w1, int w2, String stickyOn) {
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", w1), Backend.of("v2", w2))
					.withCanary(CanaryPolicy.sticky(stickyOn == null ? null : HashKey.of(stickyOn))));
	}

}
