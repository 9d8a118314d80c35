package io.meshgate.policy.lb;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinPickerTest {

	@Test
	void weightedScheduleIsSmooth() {
		UpstreamEndpoint a = endpoint(1, 3);
		UpstreamEndpoint b = endpoint(2, 1);
		List<UpstreamEndpoint> endpoints = List.of(a, b);
		RoundRobinPicker picker = new RoundRobinPicker();

		List<UpstreamEndpoint> order = IntStream.range(0, 8).mapToObj(i -> picker.pick(endpoints, null)).toList();

		// nginx's smooth weighted round robin: a, a, b, a repeated, b spread out instead of a, a, a, b
		assertThat(order).containsExactly(a, a, b, a, a, a, b, a);
	}

	@Test
	void newEndpointListIsPickedUpAtOnce() {
		RoundRobinPicker picker = new RoundRobinPicker();
		UpstreamEndpoint a = endpoint(1, 1);
		UpstreamEndpoint b = endpoint(2, 1);
		picker.pick(List.of(a), null);

		List<UpstreamEndpoint> both = List.of(a, b);
		assertThat(IntStream.range(0, 4).mapToObj(i -> picker.pick(both, null))).contains(a, b);
	}

	@Test
	void weightsWithACommonFactorGiveTheScheduleOfTheirSmallestRatio() {
		UpstreamEndpoint a = endpoint(1, 4);
		UpstreamEndpoint b = endpoint(2, 2);
		UpstreamEndpoint c = endpoint(3, 2);
		RoundRobinPicker picker = new RoundRobinPicker();

		assertThat(IntStream.range(0, 8).mapToObj(i -> picker.pick(List.of(a, b, c), null)))
			.containsExactly(a, b, c, a, a, b, c, a);
	}

	@Test
	void equalWeightsTakeTurnsAndASingleEndpointTakesThemAll() {
		UpstreamEndpoint a = endpoint(1, 1);
		UpstreamEndpoint b = endpoint(2, 1);
		UpstreamEndpoint c = endpoint(3, 1);
		RoundRobinPicker picker = new RoundRobinPicker();
		List<UpstreamEndpoint> three = List.of(a, b, c);

		assertThat(IntStream.range(0, 6).mapToObj(i -> picker.pick(three, null))).containsExactly(a, b, c, a, b, c);
		List<UpstreamEndpoint> one = List.of(endpoint(4, 7));
		assertThat(IntStream.range(0, 3).mapToObj(i -> picker.pick(one, null))).containsOnly(one.get(0));
	}

	@Test
	void picksFromManyThreadsKeepTheExactShares() throws Exception {
		UpstreamEndpoint a = endpoint(1, 3);
		UpstreamEndpoint b = endpoint(2, 1);
		List<UpstreamEndpoint> endpoints = List.of(a, b);
		RoundRobinPicker picker = new RoundRobinPicker();
		picker.pick(endpoints, null);
		Map<UpstreamEndpoint, LongAdder> picks = new ConcurrentHashMap<>();

		ExecutorService pool = Executors.newFixedThreadPool(4);
		for (int thread = 0; thread < 4; thread++) {
			pool.execute(() -> IntStream.range(0, 10_000)
				.forEach(i -> picks.computeIfAbsent(picker.pick(endpoints, null), e -> new LongAdder()).increment()));
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

		// one atomic increment per pick: 40,000 picks after the first are 30,000 and 10,000 whatever the interleaving
		assertThat(picks.get(a).sum() + picks.get(b).sum()).isEqualTo(40_000);
		assertThat(picks.get(b).sum()).isEqualTo(10_000);
	}

	static UpstreamEndpoint endpoint(int port, int weight) {
		return new UpstreamEndpoint("svc", URI.create("http://10.0.0.1:" + port), weight, Map.of());
	}

}
