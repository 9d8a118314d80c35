package io.meshgate.admin.rollout;

import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Route;

/**
 * Where the rollouts of routes Meshgate runs but does not store keep their state: the routes of
 * Kubernetes HTTPRoutes, whose owner is the user's object, which Meshgate never rewrites. Their
 * source applies the state it holds (and so the step's weights) to the routes it translates; the
 * decider moves them through {@link #write} as it stores the moves of stored routes.
 */
public interface ReadOnlyRollouts {

	/** No read-only route's rollout moves: those are counted but never started. */
	ReadOnlyRollouts NONE = new ReadOnlyRollouts() {

		@Override
		public boolean holds(Route route) {
			return false;
		}

		@Override
		public void write(Move move) {
			throw new IllegalStateException("route " + move.route().id() + " is not moved here");
		}

	};

	/** Whether the state of this running, not stored route's rollout is kept here. */
	boolean holds(Route route);

	/**
	 * Keeps the move's state (blocking I/O: called off the event loop); the route runs at it once
	 * its source applied it. Throws when the state changed since the move was decided.
	 */
	void write(Move move);

}
