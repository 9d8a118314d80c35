package io.meshgate.policy.lb;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.hash.HashKey;

import static io.meshgate.policy.lb.RoundRobinPickerTest.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retry's pick: never an endpoint the request already tried while another is available, and
 * never a step of the schedule that first tries follow.
 */
class RetryPickTest {

	private final UpstreamEndpoint a = endpoint(1, 1);

	private final UpstreamEndpoint b = endpoint(2, 1);

	private final UpstreamEndpoint c = endpoint(3, 1);

	@Test
	void roundRobinRetriesLeaveTheFirstTriesScheduleAlone() {
		RoundRobinPicker picker = new RoundRobinPicker();
		List<UpstreamEndpoint> endpoints = List.of(a, b);

		List<UpstreamEndpoint> firstTries = IntStream.range(0, 6).mapToObj(i -> {
			UpstreamEndpoint first = picker.pick(endpoints, null);
			UpstreamEndpoint retry = picker.pickRetry(endpoints, null, Set.of(first.getInstanceId()));
			assertThat(retry).isNotSameAs(first);
			return first;
		}).toList();

		assertThat(firstTries).containsExactly(a, b, a, b, a, b);
	}

	@Test
	void roundRobinRetriesSpreadOverTheEndpointsNotTried() {
		RoundRobinPicker picker = new RoundRobinPicker();
		List<UpstreamEndpoint> endpoints = List.of(endpoint(1, 3), b, c);
		Set<String> tried = Set.of(endpoints.get(0).getInstanceId());

		List<UpstreamEndpoint> retries = IntStream.range(0, 10)
			.mapToObj(i -> picker.pickRetry(endpoints, null, tried))
			.toList();

		assertThat(retries).doesNotContain(endpoints.get(0));
		assertThat(retries.stream().filter(b::equals).count()).isEqualTo(5);
	}

	@Test
	void roundRobinRetryTakesTheOnlyEndpointLeft() {
		RoundRobinPicker picker = new RoundRobinPicker();
		List<UpstreamEndpoint> endpoints = List.of(a, b, c);

		for (int i = 0; i < 6; i++) {
			assertThat(picker.pickRetry(endpoints, null, Set.of(a.getInstanceId(), c.getInstanceId()))).isSameAs(b);
		}
		// every endpoint tried: a retry still gets one
		assertThat(picker.pickRetry(endpoints, null, Set.of(a.getInstanceId(), b.getInstanceId(), c.getInstanceId())))
			.isIn(a, b, c);
	}

	@Test
	void leastRequestRetriesDrawAmongTheEndpointsNotTried() {
		LeastRequestPicker picker = new LeastRequestPicker(new SplittableRandom(23));
		List<UpstreamEndpoint> endpoints = List.of(a, b, c);

		for (int i = 0; i < 50; i++) {
			assertThat(picker.pickRetry(endpoints, null, Set.of(a.getInstanceId()))).isIn(b, c);
			assertThat(picker.pickRetry(endpoints, null, Set.of(a.getInstanceId(), b.getInstanceId()))).isSameAs(c);
		}
		assertThat(picker.pickRetry(endpoints, null, Set.of(a.getInstanceId(), b.getInstanceId(), c.getInstanceId())))
			.isIn(a, b, c);
	}

	@Test
	void ringHashRetryWalksOnToTheNextEndpointNotTried() {
		RingHashPicker picker = new RingHashPicker(HashKey.of("header:x-user"), new RoundRobinPicker());
		List<UpstreamEndpoint> endpoints = List.of(a, b, c);
		RequestData request = withUser("alice");

		UpstreamEndpoint first = picker.pick(endpoints, request);
		UpstreamEndpoint retry = picker.pickRetry(endpoints, request, Set.of(first.getInstanceId()));
		UpstreamEndpoint third = picker.pickRetry(endpoints, request,
				Set.of(first.getInstanceId(), retry.getInstanceId()));

		assertThat(retry).isNotSameAs(first);
		assertThat(Set.of(first, retry, third)).containsExactlyInAnyOrder(a, b, c);
		// the same key retries the same way on every replica
		assertThat(picker.pickRetry(endpoints, request, Set.of(first.getInstanceId()))).isSameAs(retry);
		assertThat(picker.pick(endpoints, request)).isSameAs(first);
	}

	@Test
	void ringHashRetryWithoutTheKeyLeavesTheRoundRobinScheduleAlone() {
		RingHashPicker picker = new RingHashPicker(HashKey.of("header:x-user"), new RoundRobinPicker());
		List<UpstreamEndpoint> endpoints = List.of(a, b);

		UpstreamEndpoint first = picker.pick(endpoints, null);
		assertThat(picker.pickRetry(endpoints, null, Set.of(first.getInstanceId()))).isNotSameAs(first);
		assertThat(picker.pick(endpoints, null)).isNotSameAs(first);
	}

	private static RequestData withUser(String user) {
		HttpHeaders headers = new HttpHeaders();
		headers.set("x-user", user);
		return new RequestData(HttpMethod.GET, URI.create("http://gateway/"), headers, new LinkedMultiValueMap<>(),
				Map.of());
	}

}
