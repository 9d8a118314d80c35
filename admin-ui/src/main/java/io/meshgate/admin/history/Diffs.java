package io.meshgate.admin.history;

import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

/** Unified diffs of configuration documents, as operators know them from {@code git diff}. */
public final class Diffs {

	private Diffs() {
	}

	/** The unified diff from {@code before} to {@code after}; empty when they are equal. */
	public static String unified(String before, String after, String beforeName, String afterName) {
		List<String> old = lines(before);
		List<String> updated = lines(after);
		Patch<String> patch = DiffUtils.diff(old, updated);
		if (patch.getDeltas().isEmpty()) {
			return "";
		}
		return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, old, patch, 3)) + "\n";
	}

	private static List<String> lines(String text) {
		return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
	}

}
