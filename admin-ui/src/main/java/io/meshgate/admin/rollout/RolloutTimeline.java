package io.meshgate.admin.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.policy.rollout.routes.RolloutMoves;

/**
 * A route's rollout as a timeline ({@code GET /api/routes/{id}/rollout/timeline}): the versions
 * that moved it, the decider's and the operators' alike, newest first, each with the kind of move
 * that {@link RolloutMoves#kindOf} reads from its history line.
 */
public final class RolloutTimeline {

	private RolloutTimeline() {
	}

	/** The moves of route {@code id}'s rollout among {@code history} (newest first), as JSON-ready maps. */
	public static List<Map<String, Object>> of(String id, List<HistoryEntry> history) {
		List<Map<String, Object>> moves = new ArrayList<>();
		for (HistoryEntry entry : history) {
			String kind = RolloutMoves.kindOf(id, entry.summary());
			if (kind != null) {
				Map<String, Object> move = entry.toDocument();
				move.put("kind", kind);
				moves.add(move);
			}
		}
		return moves;
	}

}
