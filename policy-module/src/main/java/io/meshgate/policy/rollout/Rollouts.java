package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.meshgate.policy.route.Route;

/**
 * The rollouts of the running configuration on this replica, by route id: each route with
 * {@code canary.rollout} has one {@link RouteRollout}, which its split finds once, when the route
 * is built, and records into; routes without a rollout have none and pay nothing. Applied with
 * every configuration ({@link #apply}): a step that changed starts its counters afresh, a route
 * that lost its rollout is forgotten. {@link #numbers} are this replica's own counters: the
 * {@link ReplicaCounters} of the one instance of a file store.
 */
public final class Rollouts {

	private final ConcurrentMap<String, RouteRollout> routes = new ConcurrentHashMap<>();

	/** The rollout of route {@code id}, created when the route is first built. */
	public RouteRollout of(String id) {
		return routes.computeIfAbsent(id, key -> new RouteRollout());
	}

	/** Takes the rollouts of a configuration's routes: called before its routes are served. */
	public void apply(List<Route> running) {
		Set<String> ids = new HashSet<>();
		for (Route route : running) {
			if (route.canary().rollout() == null) {
				continue;
			}
			ids.add(route.id());
			RolloutState state = route.rolloutState();
			of(route.id()).update(state == null ? "" : state.stepKey(), route.backends().get(0).upstream(),
					route.backends().get(1).upstream());
		}
		routes.keySet().retainAll(ids);
	}

	public boolean isEmpty() {
		return routes.isEmpty();
	}

	/** This replica's numbers of a step, as {@link ReplicaCounters#numbers} takes them. */
	public StepNumbers numbers(String route, String stepKey, Duration elapsed) {
		RouteRollout rollout = routes.get(route);
		return rollout == null ? new StepNumbers(elapsed, BackendWindow.empty(), BackendWindow.empty(), 0)
				: rollout.numbers(stepKey, elapsed);
	}

}
