package io.meshgate.admin.rollout;

import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.meshgate.admin.api.AdminService;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.rollout.routes.RolloutView;
import io.meshgate.policy.route.Route;

/**
 * What an operator does to a stored route's rollout ({@code POST /api/routes/{id}/rollout/{action}}):
 * pause, resume, promote (the next step now) or abort (the canary to weight 0), each stored as a
 * version whose history line names the operator; and the rollout's view
 * ({@code GET /api/routes/{id}/rollout}). Methods block (the store): call them off the event loop.
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

	private final AdminService admin;

	private final RolloutWriter writer;

	private final ReplicaCounters counters;

	private final Clock clock;

	public RolloutActions(AdminService admin, ReplicaCounters counters, Clock clock) {
		this.admin = admin;
		this.writer = new RolloutWriter(admin);
		this.counters = counters;
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

	public AdminService.Change act(String id, Action action, String author) {
		AdminService.Snapshot snapshot = admin.snapshot();
		Route route = RolloutWriter.stored(snapshot, id);
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
		return writer.write(snapshot.version(), move, author);
	}

}
