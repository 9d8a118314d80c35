package io.meshgate.policy.rollout.routes;

import java.util.ArrayList;
import java.util.List;

import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.Rollouts;
import io.meshgate.policy.route.Route;

/**
 * The rollouts a configuration's routes declare, as {@link Rollouts#apply} takes them. Kept apart
 * from {@link Rollouts} so that the canary split, which records into it, and the route model,
 * which holds the canary, do not depend on each other through the rollout package.
 */
public final class RunningRollouts {

	private RunningRollouts() {
	}

	/** Each route with {@code canary.rollout}: its step's key (empty before the first) and its two upstreams. */
	public static List<Rollouts.Running> of(List<Route> routes) {
		List<Rollouts.Running> running = new ArrayList<>();
		for (Route route : routes) {
			if (route.canary().rollout() == null) {
				continue;
			}
			RolloutState state = route.rolloutState();
			running.add(new Rollouts.Running(route.id(), state == null ? "" : state.stepKey(),
					route.backends().get(0).upstream(), route.backends().get(1).upstream()));
		}
		return running;
	}

}
