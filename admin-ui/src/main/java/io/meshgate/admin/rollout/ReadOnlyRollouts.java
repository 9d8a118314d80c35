package io.meshgate.admin.rollout;

import java.util.List;

import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Route;

/**
 * Where the rollouts of routes Meshgate runs but does not store keep their state and their
 * history: the routes of Kubernetes HTTPRoutes, whose owner is the user's object, which Meshgate
 * never rewrites. Their source applies the state it holds (and so the step's weights) to the
 * routes it translates; the decider and the operators' actions move them through {@link #write},
 * as they store the moves of stored routes, and every move is a version of this history, with its
 * own numbers (the configuration's versions number stored changes only).
 */
public interface ReadOnlyRollouts {

	/** No read-only route's rollout moves: those are counted but never started. */
	ReadOnlyRollouts NONE = new ReadOnlyRollouts() {

		@Override
		public boolean holds(Route route) {
			return false;
		}

		@Override
		public HistoryEntry write(Route before, Move move, String author) {
			throw new IllegalStateException("route " + move.route().id() + " is not moved here");
		}

		@Override
		public List<HistoryEntry> history(String id) {
			return List.of();
		}

	};

	/** Whether the state of this running, not stored route's rollout is kept here. */
	boolean holds(Route route);

	/**
	 * Keeps the state of {@code move}, decided on {@code before} (the route as it ran), and
	 * records it as the next version of this history, authored {@code author}. The route runs at
	 * the new state once its source applied it. Blocking I/O: call it off the event loop.
	 *
	 * @return the version recorded
	 * @throws StateChangedException when the state kept is no longer {@code before}'s: another
	 * move (the decider's, an operator's on another replica) came first
	 */
	HistoryEntry write(Route before, Move move, String author);

	/** The versions of route {@code id}'s rollout kept here, newest first (blocking I/O). */
	List<HistoryEntry> history(String id);

	/**
	 * Removes what is kept of the rollouts of routes their source no longer has, a bounded amount
	 * per call; the decider calls it every round, so it is cheap when nothing went. Blocking I/O.
	 */
	default void forgetGone() {
	}

	/** A move refused because the rollout moved since it was decided; nothing was written. */
	final class StateChangedException extends RuntimeException {

		public StateChangedException(String message) {
			super(message);
		}

	}

}
