package io.meshgate.policy.lb;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.SeededRandom;
import io.meshgate.policy.endpoint.UpstreamEndpoint;

import static io.meshgate.policy.lb.RoundRobinPickerTest.endpoint;
import static io.meshgate.policy.testing.ScriptedRandom.ints;
import static org.assertj.core.api.Assertions.assertThat;

/** Power of two choices with the draws given by the test. */
class LeastRequestPickerTest {

	final UpstreamEndpoint a = endpoint(1, 1);

	final UpstreamEndpoint b = endpoint(2, 1);

	final UpstreamEndpoint c = endpoint(3, 1);

	final List<UpstreamEndpoint> three = List.of(a, b, c);

	@Test
	void ofTheTwoDrawnTheOneWithFewerRequestsInFlightWinsAndTheFirstOnATie() {
		inFlight(a, 0);
		inFlight(b, 2);
		inFlight(c, 1);
		LeastRequestPicker picker = new LeastRequestPicker(ints(1, 2, 2, 1, 1, 0, 2, 0));

		assertThat(IntStream.range(0, 4).mapToObj(i -> picker.pick(three, null))).containsExactly(c, c, a, a);

		inFlight(a, 1);
		assertThat(new LeastRequestPicker(ints(0, 2)).pick(three, null)).isSameAs(a);
	}

	@Test
	void aRepeatedDrawIsDrawnAgainEightTimesThenTheNextEndpointIsTaken() {
		inFlight(b, 1);
		inFlight(c, 0);

		// 1 and 1 again: the second is drawn again until it differs
		assertThat(new LeastRequestPicker(ints(1, 1, 1, 2)).pick(three, null)).isSameAs(c);
		// 1, 1 and eight more 1s: the second becomes the endpoint after the first, index 2
		assertThat(new LeastRequestPicker(ints(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)).pick(three, null)).isSameAs(c);
	}

	@Test
	void drawsFollowTheWeightsAndLoadIsComparedPerUnitOfWeight() {
		UpstreamEndpoint heavy = endpoint(1, 3);
		UpstreamEndpoint light = endpoint(2, 1);
		List<UpstreamEndpoint> weighted = List.of(heavy, light);
		inFlight(heavy, 5);
		inFlight(light, 2);

		// tickets 0-2 belong to heavy, 3 to light; 5 / 3 in flight per weight beats 2 / 1
		assertThat(new LeastRequestPicker(ints(3, 2)).pick(weighted, null)).isSameAs(heavy);
		inFlight(heavy, 7);
		// 7 / 3 loses to 2 / 1
		assertThat(new LeastRequestPicker(ints(0, 3)).pick(weighted, null)).isSameAs(light);
	}

	@Test
	void aSingleEndpointIsPickedWithoutADraw() {
		SeededRandom random = new SeededRandom(SeededRandom.SEED);

		assertThat(new LeastRequestPicker(random).pick(List.of(a), null)).isSameAs(a);
		assertThat(random.draws()).isZero();
	}

	@Test
	void equalLoadsSplitAsTheSeedsDraws() {
		LeastRequestPicker picker = new LeastRequestPicker(new SeededRandom(SeededRandom.SEED));

		Map<UpstreamEndpoint, Long> picks = IntStream.range(0, 9_000)
			.mapToObj(i -> picker.pick(three, null))
			.collect(Collectors.groupingBy(e -> e, Collectors.counting()));

		// with loads equal the first of the two draws wins: a uniform pick, exactly as seed 23 falls
		assertThat(picks).containsOnly(Map.entry(a, 3_012L), Map.entry(b, 2_967L), Map.entry(c, 3_021L));
	}

	private static void inFlight(UpstreamEndpoint endpoint, int requests) {
		while (endpoint.inFlight() < requests) {
			endpoint.requestStarted();
		}
		while (endpoint.inFlight() > requests) {
			endpoint.requestFinished(false);
		}
	}

}
