package io.meshgate.policy.lb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;


import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.EndpointSpec;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Load-balancing policies end to end: real upstreams on loopback behind a real gateway. */
class LoadBalancingTest extends GatewayTest {

	final List<TestUpstream> servers = new ArrayList<>();

	@Test
	void roundRobinSpreadsRequestsExactlyEvenly() {
		route(upstream("a", "b", "c"));

		Map<String, Long> hits = count(client.bodies(300, 1, i -> "/svc/" + i));

		assertThat(hits).containsOnly(Map.entry("a", 100L), Map.entry("b", 100L), Map.entry("c", 100L));
	}

	@Test
	void roundRobinHonoursEndpointWeights() {
		TestUpstream heavy = start("heavy");
		TestUpstream light = start("light");
		route(Upstream.of("svc", List.of(new EndpointSpec(java.net.URI.create(heavy.url()), 3),
				new EndpointSpec(java.net.URI.create(light.url()), 1))));

		Map<String, Long> hits = count(client.bodies(400, 4, i -> "/svc/" + i));

		assertThat(hits).containsOnly(Map.entry("heavy", 300L), Map.entry("light", 100L));
	}

	@Test
	void leastRequestSendsFewerRequestsToASlowEndpoint() {
		Upstream upstream = upstream("fast-1", "fast-2", "slow")
			.withLoadBalancer(LoadBalancerPolicy.of(LoadBalancerPolicy.Type.LEAST_REQUEST));
		servers.get(2).delay(Duration.ofMillis(150));
		route(upstream);

		Map<String, Long> hits = count(client.bodies(600, 12, i -> "/svc/" + i));

		// Round robin would send the slow endpoint 200 of 600. The draws are seeded; what varies is
		// timing (how long the slow endpoint's requests stay in flight), so this is a bound on
		// behaviour under timing, not a band around a chance outcome
		assertThat(hits.getOrDefault("slow", 0L)).isLessThan(60L);
		assertThat(hits.get("fast-1") + hits.get("fast-2")).isGreaterThan(540L);
	}

	@Test
	void ringHashSendsTheSameKeyToTheSameEndpoint() {
		route(upstream("a", "b", "c").withLoadBalancer(LoadBalancerPolicy.ringHash("header:x-user")));

		Map<String, String> firstAnswer = new HashMap<>();
		for (int round = 0; round < 3; round++) {
			for (int user = 0; user < 100; user++) {
				String body = client.get("/svc/x", Map.of("x-user", "user-" + user)).body();
				assertThat(firstAnswer.putIfAbsent("user-" + user, body)).isIn(null, body);
			}
		}
		assertThat(Map.copyOf(firstAnswer).values()).contains("a", "b", "c");
	}

	@Test
	void ringHashRemapsAboutAQuarterOfTheKeysWhenAFourthEndpointJoins() {
		Upstream three = upstream("a", "b", "c").withLoadBalancer(LoadBalancerPolicy.ringHash("cookie:session"));
		route(three);
		Map<Integer, String> before = owners(1000);

		TestUpstream fourth = start("d");
		List<EndpointSpec> four = new ArrayList<>(three.endpoints());
		four.add(EndpointSpec.of(fourth.url()));
		route(Upstream.of("svc", four).withLoadBalancer(three.loadBalancer()));
		Map<Integer, String> after = owners(1000);

		long moved = before.keySet().stream().filter(key -> !before.get(key).equals(after.get(key))).count();
		// a statistical check: the ring is built from the upstreams' addresses, and their ports differ
		// from run to run. Over 40,000 simulated runs with random distinct ports, 162 to 334 keys
		// moved, none outside this band: a false failure less often than once in 10,000 runs
		// (RingHashPickerTest has the exact counts for fixed addresses)
		assertThat(moved).isBetween(150L, 350L);
		assertThat(before.keySet().stream().filter(key -> !before.get(key).equals(after.get(key))))
			.allSatisfy(key -> assertThat(after.get(key)).isEqualTo("d"));
	}

	/** Which endpoint answers each of {@code keys} session cookies. */
	private Map<Integer, String> owners(int keys) {
		Map<Integer, String> owners = new HashMap<>();
		for (int key = 0; key < keys; key++) {
			owners.put(key, client.get("/svc/x", Map.of("Cookie", "session=s" + key)).body());
		}
		return owners;
	}

	private Upstream upstream(String... names) {
		return Upstream.of("svc", Stream.of(names).map(this::start).map(TestUpstream::url).toArray(String[]::new));
	}

	@Override
	protected TestUpstream start(String name) {
		TestUpstream server = super.start(name);
		servers.add(server);
		return server;
	}

	private void route(Upstream upstream) {
		apply(List.of(upstream), Route.of("svc", "/svc/**", Backend.of("svc", 1)));
	}

}
