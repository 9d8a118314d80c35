package io.meshgate.admin.history;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiffsTest {

	@Test
	void aSmallEditIsAMinimalDiffWithContext() {
		String before = lines("route", 0, 100);
		String after = before.replace("route 50\n", "route 50 edited\n");

		String diff = Diffs.unified(before, after, "version 1", "new");

		assertThat(diff).startsWith("--- version 1\n+++ new\n@@ -48,7 +48,7 @@\n");
		assertThat(diff).contains("-route 50\n+route 50 edited\n");
		assertThat(diff.lines().filter(l -> l.startsWith("-") || l.startsWith("+"))).hasSize(4);
	}

	@Test
	void aLargeReplacementIsOneBlockBetweenTheUnchangedHeadAndTail() {
		String before = "head\n" + lines("old", 0, 5000) + "tail\n";
		String after = "head\n" + lines("new", 0, 5000) + "tail\n";

		String diff = Diffs.unified(before, after, "version 1", "new");

		assertThat(diff).startsWith("--- version 1\n+++ new\n@@ -1,5003 +1,5003 @@\n head\n-old 0\n");
		assertThat(diff.lines().filter(l -> l.startsWith("-old"))).hasSize(5000);
		assertThat(diff.lines().filter(l -> l.startsWith("+new"))).hasSize(5000);
		assertThat(diff).contains("+new 4999\n tail\n");
	}

	@Test
	void editsInALongDocumentOfRepeatedLinesGiveTheDiffOfTheWholeDocuments() {
		String before = routes(0, 300);
		String edited = before.replace("path: /r150/**", "path: /shop/**");
		String inserted = routes(0, 120) + routes(1000, 1001) + routes(120, 300);
		String removed = routes(0, 80) + routes(81, 300);

		for (String after : List.of(edited, inserted, removed)) {
			List<String> old = List.of(before.split("\n", -1));
			List<String> updated = List.of(after.split("\n", -1));
			String whole = String.join("\n",
					UnifiedDiffUtils.generateUnifiedDiff("version 1", "new", old, DiffUtils.diff(old, updated), 3)) + "\n";

			assertThat(Diffs.unified(before, after, "version 1", "new")).isEqualTo(whole);
		}
	}

	/** Routes as the store writes them: every route has the same lines but its id and path. */
	private static String routes(int from, int to) {
		return IntStream.range(from, to)
			.mapToObj(i -> "  - id: r" + i + "\n    match:\n      path: /r" + i + "/**\n      pathType: PATTERN\n"
					+ "    backends:\n      - upstream: up\n        weight: 1\n")
			.collect(Collectors.joining());
	}

	@Test
	void equalDocumentsHaveNoDiff() {
		assertThat(Diffs.unified("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
	}

	private static String lines(String prefix, int from, int to) {
		return IntStream.range(from, to).mapToObj(i -> prefix + " " + i + "\n").collect(Collectors.joining());
	}

}
