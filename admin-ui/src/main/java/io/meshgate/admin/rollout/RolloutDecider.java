package io.meshgate.admin.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.model.InvalidConfigException;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.admin.store.VersionConflictException;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.StepJudge;
import io.meshgate.policy.rollout.StepNumbers;
import io.meshgate.policy.rollout.StepVerdict;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Route;

/**
 * Moves the rollouts of the stored routes and of the read-only routes whose source keeps their
 * state ({@link ReadOnlyRollouts}: Kubernetes HTTPRoutes): starts a rollout that has no state (or whose canary backend
 * names a new upstream), and looks at each running step every {@code checkInterval}: the gates
 * ({@link StepJudge}) judge the step's numbers summed over every replica ({@link ReplicaCounters}),
 * and a promotion, rollback or pause is stored as a version whose history line carries the
 * numbers. Only the elected decider moves anything: one election for the stored routes and one
 * for the read-only ones ({@link DeciderElection}), since they are shared by different replicas
 * (the file store's routes are the one instance's own; an HTTPRoute's rollout is every replica's).
 *
 * <p>Its state is the route's {@link RolloutState}, in the store: a restart resumes each step
 * where it was, its time counted from the step's start (its counters, held in memory, start
 * afresh). Runs on a thread of its own, since storing blocks; looks are at most {@link #TICK}
 * late.
 */
public final class RolloutDecider implements AutoCloseable {

	private static final Log log = LogFactory.getLog(RolloutDecider.class);

	/** How often the decider wakes to see which looks are due. */
	static final Duration TICK = Duration.ofMillis(250);

	/** The author of the versions the decider stores. */
	public static final String AUTHOR = "rollout";

	private final AdminService admin;

	private final RolloutWriter writer;

	private final ReplicaCounters counters;

	private final DeciderElection storedElection;

	private final DeciderElection readOnlyElection;

	private final ReadOnlyRollouts readOnly;

	private final Clock clock;

	/** By route id: the step looked at and when it is looked at next; only the decider's thread uses it. */
	private final Map<String, Look> looks = new HashMap<>();

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread decider = new Thread(runnable, "meshgate-rollout-decider");
		decider.setDaemon(true);
		return decider;
	});

	private record Look(String stepKey, Instant next) {
	}

	/**
	 * @param storedElection whether this replica decides the rollouts of the stored routes
	 * @param readOnlyElection whether it decides those {@code readOnly} keeps
	 * @param readOnly where the rollouts of routes Meshgate does not store are kept, if anywhere
	 */
	public RolloutDecider(AdminService admin, ReplicaCounters counters, DeciderElection storedElection,
			DeciderElection readOnlyElection, ReadOnlyRollouts readOnly, Clock clock) {
		this.admin = admin;
		this.writer = new RolloutWriter(admin);
		this.counters = counters;
		this.storedElection = storedElection;
		this.readOnlyElection = readOnlyElection;
		this.readOnly = readOnly;
		this.clock = clock;
	}

	/** Looks every {@link #TICK} from now on. */
	public RolloutDecider start() {
		thread.scheduleWithFixedDelay(this::lookSafely, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
		return this;
	}

	private void lookSafely() {
		try {
			look();
		}
		catch (RuntimeException ex) {
			log.error("Rollout decider: looking at the rollouts failed; trying again in " + TICK.toMillis() + " ms", ex);
		}
	}

	/** One round: every stored route with a rollout whose move or look is due. */
	void look() {
		boolean decidesStored = storedElection.isDecider();
		boolean decidesReadOnly = readOnlyElection.isDecider();
		if (!decidesStored && !decidesReadOnly) {
			looks.clear();
			return;
		}
		AdminService.Snapshot snapshot = admin.snapshot();
		Instant now = clock.instant();
		Set<String> stored = new HashSet<>();
		// the routes looked at; a route this replica stops deciding loses its look, so that its next
		// first look, after an election, is a checkInterval away
		Set<String> seen = new HashSet<>();
		for (Route route : snapshot.config().routes()) {
			if (route.canary().rollout() == null) {
				continue;
			}
			stored.add(route.id());
			if (!decidesStored) {
				continue;
			}
			seen.add(route.id());
			Move move = decide(route, now);
			if (move != null) {
				store(snapshot.version(), move);
			}
		}
		for (Route route : snapshot.running().routes()) {
			if (!decidesReadOnly || route.canary().rollout() == null || stored.contains(route.id())
					|| !readOnly.holds(route)) {
				continue;
			}
			seen.add(route.id());
			Move move = decide(route, now);
			if (move != null) {
				keep(route, move);
			}
		}
		looks.keySet().retainAll(seen);
		if (decidesReadOnly) {
			// the leftovers of gone HTTPRoutes are the read-only rollouts' decider's to remove
			readOnly.forgetGone();
		}
	}

	private Move decide(Route route, Instant now) {
		RolloutPolicy policy = route.canary().rollout();
		RolloutState state = route.rolloutState();
		if (state == null || !state.canary().equals(route.backends().get(1).upstream())) {
			return RolloutMoves.start(route, now);
		}
		if (state.phase() != RolloutState.Phase.RUNNING) {
			return null;
		}
		Look look = looks.get(route.id());
		if (look == null || !look.stepKey().equals(state.stepKey())) {
			// the first look at a step (or after a restart) is a checkInterval away
			looks.put(route.id(), new Look(state.stepKey(), now.plus(policy.checkInterval())));
			return null;
		}
		if (now.isBefore(look.next())) {
			return null;
		}
		looks.put(route.id(), new Look(state.stepKey(), now.plus(policy.checkInterval())));
		Duration elapsed = Duration.between(state.stepStarted(), now);
		StepNumbers numbers = counters.numbers(route.id(), state.stepKey(), elapsed.isNegative() ? Duration.ZERO : elapsed);
		StepVerdict verdict = StepJudge.judge(policy, numbers);
		return RolloutMoves.judged(route, verdict, numbers, now);
	}

	private void store(long read, Move move) {
		try {
			AdminService.Change change = writer.write(read, move, AUTHOR);
			log.info("Rollout: version " + change.version() + ": " + move.summary());
		}
		catch (VersionConflictException ex) {
			// the route changed since it was read: the next round decides on what it is now
			log.debug("Rollout: " + move.route().id() + " changed while deciding; deciding again");
		}
		catch (InvalidConfigException ex) {
			log.warn("Rollout: the move of route " + move.route().id() + " was refused: " + ex.errors());
		}
	}

	private void keep(Route before, Move move) {
		try {
			HistoryEntry kept = readOnly.write(before, move, AUTHOR);
			log.info("Rollout: rollout version " + kept.version() + ": " + move.summary());
		}
		catch (RuntimeException ex) {
			// changed since it was read (or unreachable): the next round decides on what it is then
			log.debug("Rollout: the move of route " + move.route().id() + " was not kept: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		thread.shutdownNow();
	}

}
