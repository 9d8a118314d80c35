package io.meshgate.admin.rollout;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.rollout.routes.RolloutView;
import io.meshgate.policy.route.Route;

/**
 * What an operator does to a route's rollout ({@code POST /api/routes/{id}/rollout/{action}}):
 * pause, resume, promote (the next step now) or abort (the canary to weight 0), each a version
 * whose history line names the operator: a version of the configuration for a stored route, a
 * version of the {@link ReadOnlyRollouts} history for an HTTPRoute's (whose object is never
 * written: the action changes Meshgate's own state of the rollout). Also the rollout's view
 * ({@code GET /api/routes/{id}/rollout}) and its timeline. Methods block (the store): call them
 * off the event loop.
 */
public final class RolloutActions {

	public enum Action {
		PAUSE, RESUME, PROMOTE, ABORT;

		/** {@code pause} → PAUSE; anything else is refused with a fixed text. */
		public static Action parse(String text) {
			for (Action action : values()) {
				if (action.name().toLowerCase(Locale.ROOT).equals(text)) {
					return action;
				}
			}
			throw new NoSuchElementException("no such rollout action (expected: one of "
					+ Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).toList() + ")");
		}

	}

	/** An action the rollout's phase does not allow (answered 409). */
	public static final class NotNowException extends RuntimeException {

		NotNowException(String message) {
			super(message);
		}

	}

	/**
	 * What an action made: a version of the configuration ({@code change}, a stored route) or a
	 * version of the read-only rollouts' history ({@code kept}, an HTTPRoute's); one of the two.
	 * {@code view} is the rollout as the action leaves it ({@link #view}'s form), null when the
	 * action ended it (a promotion to a baseline): an HTTPRoute's route runs at the new state only
	 * once its source translated it again, so its view read at once can still show the old one.
	 */
	public record Acted(AdminService.Change change, HistoryEntry kept, Map<String, Object> view) {
	}

	private final AdminService admin;

	private final RolloutWriter writer;

	private final ReplicaCounters counters;

	private final ReadOnlyRollouts readOnly;

	private final Clock clock;

	/** @param readOnly where the rollouts of routes Meshgate does not store are kept and moved */
	public RolloutActions(AdminService admin, ReplicaCounters counters, ReadOnlyRollouts readOnly, Clock clock) {
		this.admin = admin;
		this.writer = new RolloutWriter(admin);
		this.counters = counters;
		this.readOnly = readOnly;
		this.clock = clock;
	}

	/** The rollout of the running route {@code id} (stored or read-only). */
	public Map<String, Object> view(String id) {
		Route route = admin.snapshot().running().routes().stream().filter(r -> r.id().equals(id)).findFirst()
			.orElseThrow(() -> new NoSuchElementException("route " + id + " does not exist"));
		if (route.canary().rollout() == null) {
			throw new NoSuchElementException("route " + id + " has no rollout (expected: canary.rollout)");
		}
		return RolloutView.of(route, counters, clock.instant());
	}

	/**
	 * The versions that moved route {@code id}'s rollout, newest first, and which history they are
	 * versions of: {@code configuration} or, for an HTTPRoute's rollout, {@code rollouts}.
	 */
	public Timeline timeline(String id) {
		AdminService.Snapshot snapshot = admin.snapshot();
		Route kept = keptElsewhere(snapshot, id);
		return kept != null ? new Timeline("rollouts", RolloutTimeline.of(id, readOnly.history(id)))
				: new Timeline("configuration", RolloutTimeline.of(id, admin.store().history()));
	}

	/** @param versions the history the moves' versions number: {@code configuration} or {@code rollouts} */
	public record Timeline(String versions, List<Map<String, Object>> moves) {
	}

	public Acted act(String id, Action action, String author) {
		AdminService.Snapshot snapshot = admin.snapshot();
		Route kept = keptElsewhere(snapshot, id);
		Route route = kept != null ? kept : RolloutWriter.stored(snapshot, id);
		if (route.canary().rollout() == null) {
			throw new NoSuchElementException("route " + id + " has no rollout (expected: canary.rollout)");
		}
		RolloutState state = route.rolloutState();
		Phase phase = state == null ? null : state.phase();
		String allowed = switch (action) {
			case PAUSE -> phase == Phase.RUNNING ? null : "RUNNING";
			case RESUME -> phase == Phase.PAUSED || phase != null && phase.withdrawn() ? null
					: "PAUSED, ROLLED_BACK or ABORTED";
			case PROMOTE, ABORT -> phase == Phase.RUNNING || phase == Phase.PAUSED ? null : "RUNNING or PAUSED";
		};
		if (allowed != null) {
			throw new NotNowException("route " + id + ": cannot " + action.name().toLowerCase(Locale.ROOT)
					+ " a rollout that is " + (phase == null ? "NOT_STARTED" : phase.name()) + " (expected: " + allowed + ")");
		}
		Move move = switch (action) {
			case PAUSE -> RolloutMoves.pause(route, author);
			case RESUME -> RolloutMoves.resume(route, author, clock.instant());
			case PROMOTE -> RolloutMoves.promote(route, author, clock.instant());
			case ABORT -> RolloutMoves.abort(route, author, clock.instant());
		};
		Map<String, Object> view = move.route().canary().rollout() == null ? null
				: RolloutView.of(move.route(), counters, clock.instant());
		if (kept == null) {
			return new Acted(writer.write(snapshot.version(), move, author), null, view);
		}
		try {
			return new Acted(null, readOnly.write(route, move, author), view);
		}
		catch (ReadOnlyRollouts.StateChangedException ex) {
			throw new NotNowException("route " + id + ": its rollout moved while the " + action.name().toLowerCase(Locale.ROOT)
					+ " was decided (expected: read the rollout again and act on where it stands now)");
		}
	}

	/** The running, not stored route {@code id} whose rollout {@link ReadOnlyRollouts} keeps; null for others. */
	private Route keptElsewhere(AdminService.Snapshot snapshot, String id) {
		if (snapshot.config().routes().stream().anyMatch(route -> route.id().equals(id))) {
			return null;
		}
		return snapshot.running().routes().stream().filter(route -> route.id().equals(id) && readOnly.holds(route))
			.findFirst().orElse(null);
	}

}
