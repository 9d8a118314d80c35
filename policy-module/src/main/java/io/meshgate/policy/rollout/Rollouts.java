package io.meshgate.policy.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

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

	/** One route's rollout in a configuration: the key of its step and its two upstreams. */
	public record Running(String route, String stepKey, String baseline, String canary) {
	}

	/**
	 * Takes the rollouts of a configuration's routes (from
	 * {@link io.meshgate.policy.rollout.routes.RunningRollouts}): called before its routes are served.
	 */
	public void apply(List<Running> running) {
		Set<String> ids = new HashSet<>();
		for (Running rollout : running) {
			ids.add(rollout.route());
			of(rollout.route()).update(rollout.stepKey(), rollout.baseline(), rollout.canary());
		}
		routes.keySet().retainAll(ids);
	}

	/**
	 * The step each route counts on this replica, by route id: what it publishes for the others to
	 * sum; routes whose rollout has not started yet are left out.
	 */
	public Map<String, String> stepKeys() {
		Map<String, String> keys = new HashMap<>();
		routes.forEach((id, rollout) -> {
			String key = rollout.stepKey();
			if (key != null && !key.isEmpty()) {
				keys.put(id, key);
			}
		});
		return keys;
	}

	public boolean isEmpty() {
		return routes.isEmpty();
	}

	/** Whether a route with a rollout has an id {@code ids} accepts. */
	public boolean anyOf(Predicate<String> ids) {
		return routes.keySet().stream().anyMatch(ids);
	}

	/** This replica's numbers of a step, as {@link ReplicaCounters#numbers} takes them. */
	public StepNumbers numbers(String route, String stepKey, Duration elapsed) {
		RouteRollout rollout = routes.get(route);
		return rollout == null ? new StepNumbers(elapsed, BackendWindow.empty(), BackendWindow.empty(), 0)
				: rollout.numbers(stepKey, elapsed);
	}

}
