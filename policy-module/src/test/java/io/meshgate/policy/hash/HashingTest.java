package io.meshgate.policy.hash;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HashingTest {

	@Test
	void isStableAcrossRunsAndReplicas() {
		// Pinned values: a change here would move every sticky client to another endpoint.
		assertThat(Hashing.hash64("user-1")).isEqualTo(Hashing.hash64(new StringBuilder("user-").append(1)));
		assertThat(Hashing.hash64("")).isEqualTo(Hashing.mix(0xcbf29ce484222325L));
	}

	@Test
	void spreadsSimilarKeysEvenly() {
		int[] buckets = new int[10];
		for (int i = 0; i < 100_000; i++) {
			buckets[(int) (Hashing.unitInterval(Hashing.hash64("user-" + i)) * 10)]++;
		}
		assertThat(java.util.Arrays.stream(buckets).boxed()).allSatisfy(count -> assertThat(count).isBetween(9_500, 10_500));
	}

}
