package io.meshgate.policy.canary;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.testing.SeededRandom;

import static io.meshgate.policy.testing.ScriptedRandom.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A split's two ways of choosing: a weighted draw, and weighted rendezvous hashing for sticky keys. */
class WeightedBackendsTest {

	final WeightedBackends ninetyTen = new WeightedBackends(List.of("v1", "v2"), List.of(90, 10));

	@Test
	void eachTicketBelongsToTheBackendWhoseWeightCoversIt() {
		assertThat(ninetyTen.pick(ints(0))).isEqualTo("v1");
		assertThat(ninetyTen.pick(ints(89))).isEqualTo("v1");
		assertThat(ninetyTen.pick(ints(90))).isEqualTo("v2");
		assertThat(ninetyTen.pick(ints(99))).isEqualTo("v2");
	}

	@Test
	void tenThousandDrawsSplitExactlyAsTheSeedFalls() {
		SeededRandom random = new SeededRandom(SeededRandom.SEED);

		Map<String, Long> picks = IntStream.range(0, 10_000)
			.mapToObj(i -> ninetyTen.pick(random))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

		// the same draws as CanaryTest's ten thousand requests through the gateway
		assertThat(picks).containsOnly(Map.entry("v1", 8_958L), Map.entry("v2", 1_042L));
	}

	@Test
	void aBackendOfWeightZeroIsNeverDrawnNorOwnsAKey() {
		WeightedBackends split = new WeightedBackends(List.of("zero", "v1", "none", "v2"), List.of(0, 1, 0, 1));

		assertThat(split.pick(ints(0))).isEqualTo("v1");
		assertThat(split.pick(ints(1))).isEqualTo("v2");
		assertThat(IntStream.range(0, 2_000).mapToObj(key -> split.pick("key-" + key))).containsOnly("v1", "v2");
		assertThat(split.reachableByOverride("zero", false)).isFalse();
		assertThat(split.reachableByOverride("zero", true)).isTrue();
		assertThat(split.reachableByOverride("other", true)).isFalse();
	}

	@Test
	void stickyKeysSplitByWeightExactlyAndTheSameOnEveryReplica() {
		WeightedBackends replica = WeightedBackends.parse(List.of("v1:90,v2:10"));

		Map<String, Long> owners = IntStream.range(0, 10_000)
			.mapToObj(key -> ninetyTen.pick("user-" + key))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

		assertThat(owners).containsOnly(Map.entry("v1", 8_995L), Map.entry("v2", 1_005L));
		assertThat(IntStream.range(0, 10_000))
			.allSatisfy(key -> assertThat(replica.pick("user-" + key)).isEqualTo(ninetyTen.pick("user-" + key)));
	}

	@Test
	void raisingOneWeightMovesKeysOnlyToThatBackend() {
		WeightedBackends raised = new WeightedBackends(List.of("v1", "v2"), List.of(90, 30));

		List<String> moved = IntStream.range(0, 10_000)
			.mapToObj(key -> "user-" + key)
			.filter(key -> !ninetyTen.pick(key).equals(raised.pick(key)))
			.toList();

		// v2's share goes from 10 % to 25 %: 1,479 keys of 10,000 move, all of them to v2
		assertThat(moved).allSatisfy(key -> assertThat(raised.pick(key)).isEqualTo("v2")).hasSize(1_479);
	}

	@Test
	void weightsAreCheckedWhenBuilt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WeightedBackends(List.of("v1", "v2"), List.of(0, 0)))
			.withMessage("backends: weights sum to 0 (expected: 1-2147483647)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WeightedBackends(List.of("v1", "v2"), List.of(1, -1)))
			.withMessage("backends[1].weight: -1 (expected: >= 0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WeightedBackends(List.of("v1", "v2"), List.of(Integer.MAX_VALUE, 1)))
			.withMessage("backends: weights sum to 2147483648 (expected: 1-2147483647)");
		assertThatIllegalArgumentException().isThrownBy(() -> WeightedBackends.parse(List.of("v1:x")))
			.withMessage("backends: v1:x (expected: upstream:weight, an integer weight)");
		assertThat(WeightedBackends.parse(List.of("a:1 b:2", "c:0")).toString()).isEqualTo("a:1,b:2,c:0");
	}

}
