package io.meshgate.admin.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshgate.admin.store.HistoryEntry;

/**
 * A route's rollout as a timeline ({@code GET /api/routes/{id}/rollout/timeline}): the versions
 * that moved it, the decider's and the operators' alike, newest first, each with the kind of move.
 * Every move is stored with a history line that starts {@code ID: rollout } (see
 * {@link io.meshgate.policy.rollout.routes.RolloutMoves}), which is how they are found; the kind
 * is read from the words after it, the ones RolloutMoves writes.
 */
public final class RolloutTimeline {

	private RolloutTimeline() {
	}

	/** The moves of route {@code id}'s rollout among {@code history} (newest first), as JSON-ready maps. */
	public static List<Map<String, Object>> of(String id, List<HistoryEntry> history) {
		String prefix = id + ": rollout ";
		List<Map<String, Object>> moves = new ArrayList<>();
		for (HistoryEntry entry : history) {
			if (entry.summary().startsWith(prefix)) {
				Map<String, Object> move = entry.toDocument();
				move.put("kind", kind(entry.summary().substring(prefix.length())));
				moves.add(move);
			}
		}
		return moves;
	}

	/**
	 * {@code start}, {@code promote}, {@code done}, {@code rollback}, {@code pause}, {@code resume},
	 * {@code abort}, or {@code other} for a line of a kind this does not know.
	 */
	static String kind(String rest) {
		if (rest.startsWith("of ")) {
			return "start";
		}
		if (rest.startsWith("step ")) {
			return rest.contains(", done") ? "done" : "promote";
		}
		for (String[] kind : new String[][] { { "rolled back", "rollback" }, { "paused", "pause" },
				{ "resumed", "resume" }, { "aborted", "abort" } }) {
			if (rest.startsWith(kind[0])) {
				return kind[1];
			}
		}
		return "other";
	}

}
