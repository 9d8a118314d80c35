package io.meshgate.policy.mirror.compare;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.mirror.compare.ComparePolicy.BodyComparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResponseDiffTest {

	static Answer json(int status, String body) {
		return new Answer(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), true);
	}

	static ResponseDiff diff(List<String> ignore) {
		return new ResponseDiff(new ComparePolicy(null, null, null, ignore, null, null));
	}

	@Test
	void jsonValuesCompareWhateverTheirKeyOrderAndWhiteSpace() {
		assertThat(diff(null).between(json(200, "{\"a\":1,\"b\":[1,2]}"), json(200, "{ \"b\": [1, 2], \"a\": 1 }")))
			.isEmpty();
	}

	@Test
	void differencesAreReportedAtTheirPaths() {
		Answer primary = json(200, "{\"id\":7,\"items\":[{\"price\":3,\"at\":\"t1\"},{\"price\":4}],\"gone\":true}");
		Answer shadow = json(500, "{\"id\":8,\"items\":[{\"price\":3,\"at\":\"t2\"},{\"price\":5},{\"price\":6}]}");

		assertThat(diff(null).between(primary, shadow)).containsExactly("$.gone", "$.id", "$.items.length",
				"$.items[0].at", "$.items[1].price", "status");
		assertThat(diff(List.of("$.id", "$.items[*].at")).between(primary, shadow)).containsExactly("$.gone",
				"$.items.length", "$.items[1].price", "status");
		assertThat(diff(List.of("$.*")).between(primary, shadow)).containsExactly("status");
	}

	@Test
	void headersCompareByNameInAnyCase() {
		ComparePolicy policy = new ComparePolicy(false, List.of("Content-Type"), BodyComparison.NONE, null, null, null);
		Answer primary = new Answer(200, Answer.compared(policy, Map.of("content-type", List.of("application/json"),
				"date", List.of("today"))), null, true);
		Answer shadow = new Answer(404, Answer.compared(policy, Map.of("Content-Type", List.of("text/plain"),
				"date", List.of("tomorrow"))), null, true);

		assertThat(new ResponseDiff(policy).between(primary, shadow)).containsExactly("header content-type");
	}

	@Test
	void exactBodiesAndBodiesThatAreNotJson() {
		ResponseDiff exact = new ResponseDiff(new ComparePolicy(null, null, BodyComparison.EXACT, null, null, null));
		assertThat(exact.between(json(200, "{\"a\":1}"), json(200, "{ \"a\":1}"))).containsExactly("body");
		assertThat(diff(null).between(json(200, "hello"), json(200, "hello"))).isEmpty();
		assertThat(diff(null).between(json(200, "hello"), json(200, "world"))).containsExactly("body");
	}

	@Test
	void aCutBodyIsOnlyComparedAsFarAsItGoes() {
		Answer cut = new Answer(200, Map.of(), "{\"a\":".getBytes(StandardCharsets.UTF_8), false);

		assertThat(diff(null).between(cut, cut)).isEmpty();
		assertThat(diff(null).between(cut, json(200, "{\"a\":1}"))).containsExactly("body");
	}

	@Test
	void aPairReportsAtMostAHundredPaths() {
		StringBuilder left = new StringBuilder("[");
		StringBuilder right = new StringBuilder("[");
		for (int i = 0; i < 500; i++) {
			left.append(i == 0 ? "" : ",").append(i);
			right.append(i == 0 ? "" : ",").append(-i - 1);
		}
		assertThat(diff(null).between(json(200, left + "]"), json(200, right + "]"))).hasSize(ResponseDiff.MAX_PATHS);
	}

	@Test
	void ignoredPathsAreCheckedWhenConfigured() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ComparePolicy(null, null, null, List.of("items.at"), null, null))
			.withMessage("ignore[0]: items.at (expected: a path such as $.items[*].updatedAt: $, then .name, .*, [n] or [*] steps)");
		assertThatIllegalArgumentException().isThrownBy(() -> new ComparePolicy(null, null, null, List.of("$.a[x]"), null, null))
			.withMessageStartingWith("ignore[0]: $.a[x] (expected:");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ComparePolicy(null, null, BodyComparison.EXACT, List.of("$.a"), null, null))
			.withMessage("ignore: [$.a] (expected: none unless body is JSON)");
	}

}
