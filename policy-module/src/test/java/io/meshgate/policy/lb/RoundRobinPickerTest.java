package io.meshgate.policy.lb;

import java.net.URI;
import java.util.List;
import java.util.Map;
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

	static UpstreamEndpoint endpoint(int port, int weight) {
		return new UpstreamEndpoint("svc", URI.create("http://10.0.0.1:" + port), weight, Map.of());
	}

}
