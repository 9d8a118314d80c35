package io.meshgate.policy.security.authz;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.policy.security.authz.AuthorizationPolicy.Action;
import io.meshgate.policy.security.authz.AuthorizationTable.ScopedPolicy;

/**
 * One route's authorization decisions, {@code meshgate.authz.decisions} with tags {@code route},
 * {@code policy}, {@code rule} (the index of the rule that decided, or {@value #NO_RULE}) and
 * {@code decision} ({@code allow}, {@code deny}, {@code dry-run-deny}). A request that no ALLOW
 * policy applies to, and no DENY policy denies, counts as {@code allow} with policy and rule
 * {@value #NO_RULE}. Each counter is registered the first time it counts and then found by its
 * slot: counting is an array read and an increment.
 */
final class DecisionCounters {

	static final String METER = "meshgate.authz.decisions";

	/** The tag value where no policy or no rule decided. */
	static final String NO_RULE = "(none)";

	private final MeterRegistry meters;

	private final String route;

	/** A counter per rule of each policy, one per policy for "no rule matched", one for "no ALLOW policy". */
	private final AtomicReferenceArray<Counter> counters;

	DecisionCounters(MeterRegistry meters, String route, int slots) {
		this.meters = meters;
		this.route = route;
		this.counters = new AtomicReferenceArray<>(slots + 1);
	}

	void count(ScopedPolicy scoped, int rule) {
		int slot = scoped.slot() + (rule >= 0 ? rule : scoped.policy().rules().length);
		Counter counter = counters.get(slot);
		if (counter == null) {
			counter = register(scoped.policy().name(), rule >= 0 ? String.valueOf(rule) : NO_RULE,
					decision(scoped.policy().action(), scoped.policy().dryRun(), rule >= 0));
			counters.set(slot, counter);
		}
		counter.increment();
	}

	void countUnpoliced() {
		int slot = counters.length() - 1;
		Counter counter = counters.get(slot);
		if (counter == null) {
			counter = register(NO_RULE, NO_RULE, "allow");
			counters.set(slot, counter);
		}
		counter.increment();
	}

	/** What a policy's match (or, for ALLOW, its not matching) decides. */
	private static String decision(Action action, boolean dryRun, boolean matched) {
		boolean denies = action == Action.DENY ? matched : !matched;
		return !denies ? "allow" : dryRun ? "dry-run-deny" : "deny";
	}

	/** Idempotent: two threads registering the same counter get the same one. */
	private Counter register(String policy, String rule, String decision) {
		return Counter.builder(METER)
			.description("Authorization decisions per route, policy and rule: allow, deny, dry-run-deny")
			.tag("route", route)
			.tag("policy", policy)
			.tag("rule", rule)
			.tag("decision", decision)
			.register(meters);
	}

}
