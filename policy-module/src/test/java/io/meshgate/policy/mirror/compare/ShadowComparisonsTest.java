package io.meshgate.policy.mirror.compare;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.observe.Masking;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowComparisonsTest {

	static final ResponseDiff DIFF = new ResponseDiff(ComparePolicy.DEFAULT);

	static Answer answer(String body) {
		return new Answer(200, Map.of(), body.getBytes(StandardCharsets.UTF_8), true);
	}

	/**
	 * Every answer carries its own time, so two primaries differ there too: noise. The shadow's
	 * price differs on every third request: reported, with its count.
	 */
	@Test
	void pathsWherePrimariesDifferTooAreNoise() {
		ShadowComparisons comparisons = new ShadowComparisons(ComparePolicy.DEFAULT);
		for (int i = 0; i < 30; i++) {
			Answer primary = answer("{\"at\":" + (3 * i) + ",\"price\":10}");
			Answer second = answer("{\"at\":" + (3 * i + 1) + ",\"price\":10}");
			Answer shadow = answer("{\"at\":" + (3 * i + 2) + ",\"price\":" + (i % 3 == 0 ? 11 : 10) + "}");
			comparisons.record(Instant.EPOCH, DIFF.between(primary, shadow), DIFF.between(primary, second), primary,
					shadow);
		}

		ShadowComparisons.Findings findings = comparisons.findings(5);
		assertThat(findings.comparisons()).isEqualTo(30);
		assertThat(findings.matches()).isEqualTo(20);
		assertThat(findings.topPaths()).containsExactly(Map.entry("$.price", 10L));
		assertThat(findings.latest()).hasSize(10).allSatisfy(pair -> assertThat(pair.paths()).containsExactly("$.price"));
	}

	@Test
	void withoutASecondPrimaryEveryDifferenceCounts() {
		ShadowComparisons comparisons = new ShadowComparisons(ComparePolicy.DEFAULT);
		Answer primary = answer("{\"at\":1}");
		Answer shadow = answer("{\"at\":2}");
		comparisons.record(Instant.EPOCH, DIFF.between(primary, shadow), null, primary, shadow);

		assertThat(comparisons.findings(5).matchRate()).isZero();
		assertThat(comparisons.findings(5).topPaths()).containsExactly(Map.entry("$.at", 1L));
	}

	@Test
	void keptPairsAreMaskedAndBounded() {
		ComparePolicy policy = new ComparePolicy(null, List.of("authorization", "content-type"), null, null, 2, null);
		ShadowComparisons comparisons = new ShadowComparisons(policy);
		for (int i = 0; i < 5; i++) {
			Answer primary = new Answer(200, Map.of("authorization", "Bearer abc", "content-type", "application/json"),
					("{\"token\":\"t-" + i + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), true);
			Answer shadow = new Answer(200, Map.of("authorization", "Bearer abc", "content-type", "application/json"),
					("{\"token\":\"t-" + i + "\",\"n\":" + (i + 1) + "}").getBytes(StandardCharsets.UTF_8), true);
			comparisons.record(Instant.ofEpochSecond(i), new ResponseDiff(policy).between(primary, shadow), null, primary,
					shadow);
		}

		var latest = comparisons.findings(5).latest();
		assertThat(latest).extracting(ShadowComparisons.Pair::time).containsExactly(Instant.ofEpochSecond(4),
				Instant.ofEpochSecond(3));
		assertThat(latest.get(0).primary().headers()).containsEntry("authorization", Masking.MASK)
			.containsEntry("content-type", "application/json");
		assertThat(latest.get(0).shadow().body()).isEqualTo("{\"token\":\"" + Masking.MASK + "\",\"n\":5}");
	}

	@Test
	void aBodyThatIsNotJsonIsNotShown() {
		assertThat(ShadowComparisons.excerpt("password=hunter2".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("(16 bytes, not JSON)");
		assertThat(ShadowComparisons.excerpt(new byte[0])).isEmpty();
	}

	@Test
	void distinctPathsAreBounded() {
		ShadowComparisons comparisons = new ShadowComparisons(ComparePolicy.DEFAULT);
		Answer any = answer("{}");
		for (int i = 0; i < ShadowComparisons.MAX_PATHS + 50; i++) {
			comparisons.record(Instant.EPOCH, Set.of("$.f" + i), null, any, any);
		}
		assertThat(comparisons.findings(2000).topPaths()).hasSize(ShadowComparisons.MAX_PATHS + 1)
			.containsEntry(ShadowComparisons.OTHER, 50L);
	}

}
