package io.meshgate.policy.lb;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.endpoint.UpstreamEndpoint;

import static io.meshgate.policy.lb.RoundRobinPickerTest.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hash ring, on keys {@code user-0} to {@code user-9999}: the ring is built from addresses
 * only and the hash is fixed, so the counts are exact and the same on every replica.
 */
class RingHashPickerTest {

	static final int KEYS = 10_000;

	final UpstreamEndpoint a = endpoint(1, 1);

	final UpstreamEndpoint b = endpoint(2, 1);

	final UpstreamEndpoint c = endpoint(3, 1);

	@Test
	void keysSpreadOverEqualEndpointsAsTheirPointsFall() {
		Map<String, UpstreamEndpoint> owners = owners(picker(), List.of(a, b, c));

		// 160 points each: shares of 33.4, 29.5 and 37.1 %
		assertThat(counts(owners)).containsOnly(Map.entry(a, 3_335L), Map.entry(b, 2_954L), Map.entry(c, 3_711L));
	}

	@Test
	void aHeavierEndpointOwnsMorePointsAndMoreKeys() {
		UpstreamEndpoint heavy = endpoint(1, 3);

		// 480 points against 160: 77.8 % of the keys
		assertThat(counts(owners(picker(), List.of(heavy, b)))).containsOnly(Map.entry(heavy, 7_781L),
				Map.entry(b, 2_219L));
	}

	@Test
	void aJoiningEndpointTakesKeysOnlyFromTheOthersAndAboutItsShare() {
		Map<String, UpstreamEndpoint> before = owners(picker(), List.of(a, b, c));
		UpstreamEndpoint d = endpoint(4, 1);

		Map<String, UpstreamEndpoint> after = owners(picker(), List.of(a, b, c, d));

		List<String> moved = before.keySet().stream().filter(key -> before.get(key) != after.get(key)).toList();
		assertThat(moved).allSatisfy(key -> assertThat(after.get(key)).isSameAs(d));
		// a quarter of the ring would be 2,500
		assertThat(moved).hasSize(2_601);
	}

	@Test
	void everyPickerBuildsTheSameRingFromTheSameAddresses() {
		List<UpstreamEndpoint> endpoints = List.of(a, b, c);
		List<UpstreamEndpoint> sameAddresses = List.of(endpoint(1, 1), endpoint(2, 1), endpoint(3, 1));

		Map<String, UpstreamEndpoint> here = owners(picker(), endpoints);
		Map<String, UpstreamEndpoint> there = owners(picker(), sameAddresses);

		assertThat(here.keySet()).allSatisfy(
				key -> assertThat(there.get(key).address()).isEqualTo(here.get(key).address()));
	}

	@Test
	void requestsWithoutTheKeyGoRoundRobin() {
		RingHashPicker picker = picker();
		List<UpstreamEndpoint> endpoints = List.of(a, b, c);

		assertThat(IntStream.range(0, 6).mapToObj(i -> picker.pick(endpoints, request(null))))
			.containsExactly(a, b, c, a, b, c);
		assertThat(picker.pick(endpoints, null)).isSameAs(a);
	}

	private static RingHashPicker picker() {
		return new RingHashPicker(HashKey.of("header:x-user"), new RoundRobinPicker());
	}

	private static Map<String, UpstreamEndpoint> owners(RingHashPicker picker, List<UpstreamEndpoint> endpoints) {
		Map<String, UpstreamEndpoint> owners = new HashMap<>();
		for (int key = 0; key < KEYS; key++) {
			owners.put("user-" + key, picker.pick(endpoints, request("user-" + key)));
		}
		return owners;
	}

	private static Map<UpstreamEndpoint, Long> counts(Map<String, UpstreamEndpoint> owners) {
		return owners.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	private static RequestData request(String user) {
		HttpHeaders headers = new HttpHeaders();
		if (user != null) {
			headers.set("x-user", user);
		}
		return new RequestData(HttpMethod.GET, URI.create("http://gateway/svc"), headers, new LinkedMultiValueMap<>(),
				Map.of());
	}

}
