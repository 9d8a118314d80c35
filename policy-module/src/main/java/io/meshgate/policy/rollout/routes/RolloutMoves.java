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

	/**
	 * Every history line of a move is {@code ID: rollout }, then one of these words, which say
	 * what the move was ({@link #kindOf}); the rest of the line is for people.
	 */
	private static final String LINE = ": rollout ";

	private static final String STARTS = "of ";

	private static final String STEP = "step ";

	private static final String DONE = ", done";

	private static final String ROLLED_BACK = "rolled back";

	private static final String PAUSED = "paused";

	private static final String RESUMED = "resumed";

	private static final String ABORTED = "aborted";

	private RolloutMoves() {
	}

	/** The first step of a route's rollout (of a new canary, when the canary backend changed). */
	public static Move start(Route route, Instant now) {
		RolloutPolicy policy = route.canary().rollout();
		String canary = route.backends().get(1).upstream();
		RolloutState state = RolloutState.start(canary, now, "the rollout of " + canary + " started");
		return new Move(at(route, state),
				line(route, STARTS + canary + " starts at step 1 (" + percent(RolloutSteps.share(policy, 1)) + ")"));
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
					ROLLED_BACK + " at step " + state.step() + " (" + stepShare(route) + "): " + measured + ": "
							+ verdict.reason());
			case PAUSE -> new Move(at(route, with(state, Phase.PAUSED, verdict.reason())), line(route, PAUSED
					+ " at step " + state.step() + " (" + stepShare(route) + "): " + measured + ": " + verdict.reason()));
		};
	}

	/** Holds the weights until resumed. */
	public static Move pause(Route route, String author) {
		RolloutState state = route.rolloutState();
		return new Move(at(route, with(state, Phase.PAUSED, "paused by " + author)),
				line(route, PAUSED + " by " + author + " at step " + state.step() + " (" + stepShare(route) + ")"));
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
				line(route, RESUMED + " by " + author + " at step " + state.step() + " (" + stepShare(route) + ")"));
	}

	/** The next step now, without waiting for the gates. */
	public static Move promote(Route route, String author, Instant now) {
		return next(route, now, " by " + author, "promoted by " + author);
	}

	/** The canary back to weight 0, for good (until resumed). */
	public static Move abort(Route route, String author, Instant now) {
		return withdraw(route, Phase.ABORTED, now,
				ABORTED + " by " + author + " at step " + route.rolloutState().step() + " (" + stepShare(route) + ")");
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
		String line = line(route, STEP + state.step() + " → " + step + " (" + percent(RolloutSteps.share(policy, step))
				+ ")" + tail);
		if (!RolloutSteps.last(policy, step)) {
			return new Move(at(route, new RolloutState(state.canary(), step, now, Phase.RUNNING, why)), line);
		}
		if (policy.promoteToBaseline()) {
			// the canary is the baseline now: a plain route, ready for the next rollout
			Backend canary = route.backends().get(1).withWeight(RolloutSteps.scale(policy));
			Route promoted = route.withCanary(route.canary().withRollout(null)).withBackends(List.of(canary));
			return new Move(promoted, line + DONE + ": " + state.canary() + " is the baseline, "
					+ route.backends().get(0).upstream() + " is no longer a backend of the route");
		}
		return new Move(at(route, new RolloutState(state.canary(), step, now, Phase.DONE, "the canary takes all traffic")),
				line + DONE);
	}

	private static Move withdraw(Route route, Phase phase, Instant now, String why) {
		RolloutState state = route.rolloutState();
		return new Move(at(route, new RolloutState(state.canary(), state.step(), now, phase, why)),
				line(route, why));
	}

	private static String line(Route route, String rest) {
		return route.id() + LINE + rest;
	}

	/**
	 * What a history line of route {@code id} records: {@code start}, {@code promote}, {@code done},
	 * {@code rollback}, {@code pause}, {@code resume} or {@code abort}; {@code other} for a rollout
	 * line of another kind; null for a line that is not about the route's rollout.
	 */
	public static String kindOf(String id, String summary) {
		String prefix = id + LINE;
		if (!summary.startsWith(prefix)) {
			return null;
		}
		String rest = summary.substring(prefix.length());
		if (rest.startsWith(STARTS)) {
			return "start";
		}
		if (rest.startsWith(STEP)) {
			return rest.contains(DONE) ? "done" : "promote";
		}
		for (String[] kind : new String[][] { { ROLLED_BACK, "rollback" }, { PAUSED, "pause" }, { RESUMED, "resume" },
				{ ABORTED, "abort" } }) {
			if (rest.startsWith(kind[0])) {
				return kind[1];
			}
		}
		return "other";
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
