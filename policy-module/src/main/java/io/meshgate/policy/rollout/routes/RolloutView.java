package io.meshgate.policy.rollout.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutSteps;
import io.meshgate.policy.rollout.StepJudge;
import io.meshgate.policy.rollout.StepNumbers;
import io.meshgate.policy.rollout.StepVerdict;
import io.meshgate.policy.route.Route;

/**
 * A route's rollout as the admin API ({@code GET /api/routes/{id}/rollout}) and
 * {@code /actuator/mesh} show it: where it stands, the weights, the step's numbers so far and
 * what the gates would decide on them now.
 */
public final class RolloutView {

	private RolloutView() {
	}

	/** The view of {@code route}'s rollout, with the step's numbers from {@code counters} at {@code now}. */
	public static Map<String, Object> of(Route route, ReplicaCounters counters, Instant now) {
		RolloutPolicy policy = route.canary().rollout();
		RolloutState state = route.rolloutState();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("route", route.id());
		view.put("baseline", route.backends().get(0).upstream());
		view.put("canary", route.backends().get(1).upstream());
		view.put("steps", policy.steps());
		view.put("weights", route.backends().stream().map(backend -> backend.weight()).toList());
		if (state == null) {
			view.put("phase", "NOT_STARTED");
			return view;
		}
		view.put("phase", state.phase().name());
		view.put("step", state.step());
		view.put("share", RolloutSteps.share(policy, state.step()));
		view.put("stepStarted", state.stepStarted().toString());
		view.put("reason", state.reason());
		if (state.phase() == RolloutState.Phase.RUNNING || state.phase() == RolloutState.Phase.PAUSED) {
			Duration elapsed = Duration.between(state.stepStarted(), now);
			StepNumbers numbers = counters.numbers(route.id(), state.stepKey(), elapsed.isNegative() ? Duration.ZERO : elapsed);
			view.put("elapsedSeconds", numbers.elapsed().toSeconds());
			view.put("canaryNumbers", window(numbers.canary()));
			view.put("baselineNumbers", window(numbers.baseline()));
			view.put("canaryFailuresInARow", numbers.consecutiveCanaryFailures());
			StepVerdict verdict = StepJudge.judge(policy, numbers);
			view.put("gates", Map.of("outcome", verdict.outcome().name(), "reason", verdict.reason()));
		}
		return view;
	}

	private static Map<String, Object> window(BackendWindow window) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("requests", window.requests());
		view.put("failed", window.errors());
		view.put("errorShare", window.errorShare());
		view.put("p99", RolloutMoves.p99(window));
		return view;
	}

}
