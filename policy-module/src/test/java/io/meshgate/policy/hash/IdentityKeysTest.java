package io.meshgate.policy.hash;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.testing.TestIdentityFilter;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash keys taken from the caller's verified identity ({@code claim:<name>}, {@code consumer},
 * {@code principal}, {@code request-principal}) on a real gateway with real upstreams: sticky
 * canary, rate-limit buckets and ring hash. {@link TestIdentityFilter} stands in for the edge's
 * token, certificate and API-key checks.
 */
class IdentityKeysTest extends GatewayTest {

	@Test
	void aCanaryStickyOnAClaimKeepsEachUserOnOneBackendAndAnonymousRequestsDrawByWeight() {
		canary(50, 50, "claim:sub");
		random.reseed(SeededRandom.SEED);

		Map<String, String> first = new HashMap<>();
		for (int round = 0; round < 3; round++) {
			for (int user = 0; user < 200; user++) {
				String backend = get(TestIdentityFilter.claims(Map.of("sub", "s" + user)));
				assertThat(first.putIfAbsent("s" + user, backend)).isIn(null, backend);
			}
		}
		// the same hash as every other key: subjects s0 to s199 split as sessions s0 to s199 do
		// (CanaryTest), exactly these 91 on v2, and no sticky request drew
		assertThat(count(List.copyOf(first.values())).get("v2")).isEqualTo(91L);
		assertThat(random.draws()).isZero();

		// without a token, or a token without the claim: the weighted draw, one per request; seed
		// 23's first 300 draws of nextInt(100) fall 147 times on 50-99
		List<String> anonymous = Stream.iterate(0, i -> i + 1).limit(300)
			.map(i -> i % 2 == 0 ? get(null) : get(TestIdentityFilter.claims(Map.of("tier", "beta"))))
			.toList();
		assertThat(random.draws()).isEqualTo(300);
		assertThat(count(anonymous)).containsOnly(Map.entry("v1", 153L), Map.entry("v2", 147L));
	}

	@Test
	void aCanaryStickyOnTheConsumerOrPrincipalUsesThatPartOfTheIdentity() {
		canary(50, 50, "consumer");
		String shop = get(TestIdentityFilter.consumer("shop-frontend"));
		for (int i = 0; i < 20; i++) {
			assertThat(get(TestIdentityFilter.consumer("shop-frontend"))).isEqualTo(shop);
			// a header of the same name is not the consumer
			assertThat(client.get("/orders/1", Map.of("consumer", "x", TestIdentityFilter.HEADER,
					TestIdentityFilter.consumer("shop-frontend"))).body()).isEqualTo(shop);
		}

		canary(50, 50, "principal");
		String web = get(TestIdentityFilter.principal("spiffe://cluster.local/ns/shop/sa/web"));
		for (int i = 0; i < 20; i++) {
			assertThat(get(TestIdentityFilter.principal("spiffe://cluster.local/ns/shop/sa/web"))).isEqualTo(web);
		}
	}

	@Test
	void aRateLimitKeyedOnTheConsumerGivesEachConsumerItsOwnBucket() {
		TestUpstream svc = start("svc");
		double rejectedBefore = counter("meshgate.ratelimit.rejected", "route", "svc");
		apply(List.of(Upstream.of("svc", svc.url())), Route.of("svc", "/svc/**", Backend.of("svc", 1))
			.withRateLimit(new RateLimitPolicy(3, 3, Duration.ofHours(1), HashKey.of("consumer"), null)));

		Map<String, List<Integer>> statuses = new HashMap<>();
		for (String consumer : List.of("shop-frontend", "billing")) {
			statuses.put(consumer, Stream.iterate(0, i -> i + 1).limit(5)
				.map(i -> status("/svc/1", TestIdentityFilter.consumer(consumer)))
				.toList());
		}
		// requests without a consumer share one bucket, whatever else they carry
		statuses.put("none", List.of(status("/svc/1", null),
				status("/svc/1", TestIdentityFilter.claims(Map.of("sub", "alice"))),
				status("/svc/1", TestIdentityFilter.principal("spiffe://x/y")), status("/svc/1", null)));

		assertThat(statuses).containsOnly(Map.entry("shop-frontend", List.of(200, 200, 200, 429, 429)),
				Map.entry("billing", List.of(200, 200, 200, 429, 429)),
				Map.entry("none", List.of(200, 200, 200, 429)));
		assertThat(svc.hits()).isEqualTo(9);
		assertThat(counter("meshgate.ratelimit.rejected", "route", "svc") - rejectedBefore).isEqualTo(5);
	}

	@Test
	void ringHashOnAClaimPlacesAUserWhereTheSameValueInAHeaderGoes() {
		List<String> endpoints = Stream.of("a", "b", "c").map(this::start).map(TestUpstream::url).toList();
		Map<String, String> byClaim = ringOwners(endpoints, "claim:sub", user -> Map.of(TestIdentityFilter.HEADER,
				TestIdentityFilter.claims(Map.of("sub", user))));
		Map<String, String> byHeader = ringOwners(endpoints, "header:x-user", user -> Map.of("x-user", user));

		// one ring, one hash: a key's owner does not depend on where the key came from
		assertThat(byClaim).isEqualTo(byHeader);
		assertThat(Map.copyOf(byClaim).values()).contains("a", "b", "c");
	}

	@Test
	void ringHashWithoutTheRequestPrincipalGoesRoundRobin() {
		List<String> endpoints = Stream.of("a", "b", "c").map(this::start).map(TestUpstream::url).toList();
		apply(List.of(Upstream.of("svc", endpoints.toArray(String[]::new))
			.withLoadBalancer(LoadBalancerPolicy.ringHash("request-principal"))), Route.of("svc", "/svc/**",
					Backend.of("svc", 1)));

		List<String> anonymous = Stream.iterate(0, i -> i + 1).limit(30)
			.map(i -> client.get("/svc/x", Map.of(TestIdentityFilter.HEADER, TestIdentityFilter.consumer("c" + i)))
				.body())
			.toList();

		assertThat(count(anonymous)).containsOnly(Map.entry("a", 10L), Map.entry("b", 10L), Map.entry("c", 10L));
	}

	private Map<String, String> ringOwners(List<String> endpoints, String hashOn,
			Function<String, Map<String, String>> asUser) {
		apply(List.of(Upstream.of("svc", endpoints.toArray(String[]::new))
			.withLoadBalancer(LoadBalancerPolicy.ringHash(hashOn))), Route.of("svc", "/svc/**", Backend.of("svc", 1)));
		Map<String, String> owners = new HashMap<>();
		for (int round = 0; round < 2; round++) {
			for (int user = 0; user < 100; user++) {
				String body = client.get("/svc/x", asUser.apply("user-" + user)).body();
				assertThat(owners.putIfAbsent("user-" + user, body)).isIn(null, body);
			}
		}
		return owners;
	}

	private void canary(int w1, int w2, String stickyOn) {
		TestUpstream v1 = start("v1");
		TestUpstream v2 = start("v2");
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("orders", "/orders/**", Backend.of("v1", w1), Backend.of("v2", w2))
					.withCanary(CanaryPolicy.sticky(HashKey.of(stickyOn))));
	}

	private String get(String identity) {
		return client.get("/orders/1", identity == null ? Map.of() : Map.of(TestIdentityFilter.HEADER, identity))
			.body();
	}

	private int status(String path, String identity) {
		return client.get(path, identity == null ? Map.of() : Map.of(TestIdentityFilter.HEADER, identity))
			.statusCode();
	}

}
