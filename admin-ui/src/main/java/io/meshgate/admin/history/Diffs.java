package io.meshgate.admin.history;

import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;

/** Unified diffs of configuration documents, as operators know them from {@code git diff}. */
public final class Diffs {

	private Diffs() {
	}

	/** The unified diff from {@code before} to {@code after}; empty when they are equal. */
	public static String unified(String before, String after, String beforeName, String afterName) {
		return unified(lines(before), lines(after), beforeName, afterName);
	}

	/** The unified diff between two documents given as lines ({@code text.split("\n", -1)}). */
	public static String unified(List<String> old, List<String> updated, String beforeName, String afterName) {
		Patch<String> patch = diff(old, updated);
		if (patch.getDeltas().isEmpty()) {
			return "";
		}
		return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, old, patch, 3)) + "\n";
	}

	/**
	 * When more lines than this differ (between the common head and tail) the diff is one replaced
	 * block instead of a minimal diff: Myers' algorithm takes (lines × differing lines) steps, and a
	 * minimal diff of an import of 10,000 routes takes minutes.
	 */
	private static final int MINIMAL_DIFF_LIMIT = 1000;

	private static Patch<String> diff(List<String> old, List<String> updated) {
		int head = 0;
		while (head < old.size() && head < updated.size() && old.get(head).equals(updated.get(head))) {
			head++;
		}
		int tail = 0;
		while (tail < old.size() - head && tail < updated.size() - head
				&& old.get(old.size() - 1 - tail).equals(updated.get(updated.size() - 1 - tail))) {
			tail++;
		}
		List<String> removed = old.subList(head, old.size() - tail);
		List<String> added = updated.subList(head, updated.size() - tail);
		Patch<String> patch = new Patch<>();
		if (removed.size() + added.size() > MINIMAL_DIFF_LIMIT) {
			patch.addDelta(new ChangeDelta<>(new Chunk<>(head, removed), new Chunk<>(head, added)));
			return patch;
		}
		// the minimal diff of what lies between head and tail, moved to its place in the documents:
		// Myers' algorithm over the whole documents walked 160,000 equal lines of 10,000 routes
		for (AbstractDelta<String> delta : DiffUtils.diff(removed, added).getDeltas()) {
			patch.addDelta(delta.withChunks(shifted(delta.getSource(), head), shifted(delta.getTarget(), head)));
		}
		return patch;
	}

	private static Chunk<String> shifted(Chunk<String> chunk, int offset) {
		return new Chunk<>(chunk.getPosition() + offset, chunk.getLines());
	}

	private static List<String> lines(String text) {
		return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
	}

}
