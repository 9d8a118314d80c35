package io.meshgate.policy.rollout.routes;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.RolloutSteps;
import io.meshgate.policy.rollout.StepNumbers;
import io.meshgate.policy.rollout.StepVerdict;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;

/**
 * What each decision about a rollout makes of its route: the weights of the new step (or of the
 * canary withdrawn) and the new {@link RolloutState}, with the line the history shows for it
 * ({@code shop: rollout step 2 → 3 (25 %): canary 0.4 % failed of 812 vs 0.3 % of 9120, p99 120 ms
 * vs 110 ms}). The decider and the admin API's actions both move rollouts through here, so a
 * rollout moves the same way whoever moves it. Every text is Meshgate's own: route ids and
 * upstream names are configuration, never request data.
 */
public final class RolloutMoves {

	/** A route as a decision leaves it, and the history's line for the decision. */
	public record Move(Route route, String summary) {
	}

	private RolloutMoves() {
	}

	/** The first step of a route's rollout (of a new canary, when the canary backend changed). */
	public static Move start(Route route, Instant now) {
		RolloutPolicy policy = route.canary().rollout();
		String canary = route.backends().get(1).upstream();
		RolloutState state = RolloutState.start(canary, now, "the rollout of " + canary + " started");
		return new Move(at(route, state), route.id() + ": rollout of " + canary + " starts at step 1 ("
				+ percent(RolloutSteps.share(policy, 1)) + ")");
	}

	/**
	 * What the gates' {@code verdict} on a running step makes of the route; null for
	 * {@link StepVerdict.Outcome#WAIT}.
	 */
	public static Move judged(Route route, StepVerdict verdict, StepNumbers numbers, Instant now) {
		RolloutState state = route.rolloutState();
		String measured = measured(numbers);
		return switch (verdict.outcome()) {
			case WAIT -> null;
			case PROMOTE -> next(route, now, ": " + measured, "the gates held at step " + state.step());
			case ROLL_BACK -> withdraw(route, Phase.ROLLED_BACK, now,
					"rolled back at step " + state.step() + " (" + stepShare(route) + "): " + measured + ": "
							+ verdict.reason());
			case PAUSE -> new Move(at(route, with(state, Phase.PAUSED, verdict.reason())), route.id()
					+ ": rollout paused at step " + state.step() + " (" + stepShare(route) + "): " + measured + ": "
					+ verdict.reason());
		};
	}

	/** Holds the weights until resumed. */
	public static Move pause(Route route, String author) {
		RolloutState state = route.rolloutState();
		return new Move(at(route, with(state, Phase.PAUSED, "paused by " + author)),
				route.id() + ": rollout paused by " + author + " at step " + state.step() + " (" + stepShare(route) + ")");
	}

	/**
	 * Goes on: a paused step starts again (its time and counters afresh); a rollout rolled back or
	 * aborted starts again at step 1.
	 */
	public static Move resume(Route route, String author, Instant now) {
		RolloutState state = route.rolloutState();
		if (state.phase().withdrawn()) {
			Move started = start(route, now);
			return new Move(started.route(), started.summary() + " again, resumed by " + author);
		}
		RolloutState resumed = new RolloutState(state.canary(), state.step(), now, Phase.RUNNING, "resumed by " + author);
		return new Move(at(route, resumed),
				route.id() + ": rollout resumed by " + author + " at step " + state.step() + " (" + stepShare(route) + ")");
	}

	/** The next step now, without waiting for the gates. */
	public static Move promote(Route route, String author, Instant now) {
		return next(route, now, " by " + author, "promoted by " + author);
	}

	/** The canary back to weight 0, for good (until resumed). */
	public static Move abort(Route route, String author, Instant now) {
		return withdraw(route, Phase.ABORTED, now,
				"aborted by " + author + " at step " + route.rolloutState().step() + " (" + stepShare(route) + ")");
	}

	/** The route with the weights and state of {@code state}. */
	public static Route at(Route route, RolloutState state) {
		List<Integer> weights = RolloutSteps.weights(route.canary().rollout(), state);
		List<Backend> backends = List.of(route.backends().get(0).withWeight(weights.get(0)),
				route.backends().get(1).withWeight(weights.get(1)));
		return route.withBackends(backends).withRolloutState(state);
	}

	/**
	 * @param tail what the history line ends with: the numbers, or who promoted
	 * @param why the reason the new state keeps
	 */
	private static Move next(Route route, Instant now, String tail, String why) {
		RolloutPolicy policy = route.canary().rollout();
		RolloutState state = route.rolloutState();
		int step = state.step() + 1;
		String line = route.id() + ": rollout step " + state.step() + " → " + step + " ("
				+ percent(RolloutSteps.share(policy, step)) + ")" + tail;
		if (!RolloutSteps.last(policy, step)) {
			return new Move(at(route, new RolloutState(state.canary(), step, now, Phase.RUNNING, why)), line);
		}
		if (policy.promoteToBaseline()) {
			// the canary is the baseline now: a plain route, ready for the next rollout
			Backend canary = route.backends().get(1).withWeight(RolloutSteps.scale(policy));
			Route promoted = route.withCanary(route.canary().withRollout(null)).withBackends(List.of(canary));
			return new Move(promoted, line + ", done: " + state.canary() + " is the baseline");
		}
		return new Move(at(route, new RolloutState(state.canary(), step, now, Phase.DONE, "the canary takes all traffic")),
				line + ", done");
	}

	private static Move withdraw(Route route, Phase phase, Instant now, String why) {
		RolloutState state = route.rolloutState();
		return new Move(at(route, new RolloutState(state.canary(), state.step(), now, phase, why)),
				route.id() + ": rollout " + why);
	}

	private static RolloutState with(RolloutState state, Phase phase, String reason) {
		return new RolloutState(state.canary(), state.step(), state.stepStarted(), phase, reason);
	}

	private static String stepShare(Route route) {
		return percent(RolloutSteps.share(route.canary().rollout(), route.rolloutState().step()));
	}

	/** {@code 25 %}, {@code 0.5 %}. */
	static String percent(double share) {
		return (share == Math.rint(share) ? String.valueOf((long) share) : String.valueOf(share)) + " %";
	}

	/** {@code canary 0.4 % failed of 812 vs 0.3 % of 9120, p99 120 ms vs 110 ms}. */
	public static String measured(StepNumbers numbers) {
		BackendWindow canary = numbers.canary();
		BackendWindow baseline = numbers.baseline();
		return String.format(Locale.ROOT, "canary %s failed of %d vs %s of %d, p99 %s vs %s",
				share(canary), canary.requests(), share(baseline), baseline.requests(), p99(canary), p99(baseline));
	}

	private static String share(BackendWindow window) {
		return String.format(Locale.ROOT, "%.1f %%", 100 * window.errorShare());
	}

	/** The p99 latency: the upper edge of its bucket; "-" without requests. */
	public static String p99(BackendWindow window) {
		long n = window.latencies().total();
		if (n == 0) {
			return "-";
		}
		double micros = window.latencies().upperOfRank(Math.max(1, (long) Math.ceil(0.99 * n)));
		return micros >= 10_000 ? String.format(Locale.ROOT, "%.0f ms", micros / 1000)
				: String.format(Locale.ROOT, "%.1f ms", micros / 1000);
	}

}
