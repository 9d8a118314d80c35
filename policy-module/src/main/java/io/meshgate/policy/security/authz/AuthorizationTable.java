package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;

import io.meshgate.policy.security.authz.AuthorizationPolicy.Action;

/**
 * Every authorization policy of a configuration, compiled once when it is applied: for each route
 * the policies that may apply to its requests, in evaluation order, each with its rules compiled
 * ({@link CompiledRule}) and, where only its host targets can make it apply, its host matches. A
 * request's route finds its list with one lookup by id; nothing is parsed or looked up by name
 * after that. A route that no policy names gets its list on first use (gateway-wide and
 * host-targeted policies), each route a list of its own so that it counts its own decisions.
 */
final class AuthorizationTable {

	static final AuthorizationTable EMPTY = new AuthorizationTable(List.of(), Set.of(), null);

	private final List<CompiledPolicy> policies;

	private final MeterRegistry meters;

	/** A list per route id; those of routes no policy names are added on first use. */
	private final Map<String, RoutePolicies> byRoute = new ConcurrentHashMap<>();

	private final Function<String, RoutePolicies> untargeted;

	private AuthorizationTable(List<CompiledPolicy> policies, Set<String> targetedRoutes, MeterRegistry meters) {
		this.policies = policies;
		this.meters = meters;
		for (String route : targetedRoutes) {
			byRoute.put(route, routePolicies(route));
		}
		this.untargeted = this::routePolicies;
	}

	static AuthorizationTable compile(List<AuthorizationPolicy> policies, MeterRegistry meters) {
		if (policies.isEmpty()) {
			return EMPTY;
		}
		Set<String> targeted = new LinkedHashSet<>();
		List<CompiledPolicy> compiled = new ArrayList<>();
		for (AuthorizationPolicy policy : policies) {
			targeted.addAll(policy.targets().routes());
			compiled.add(CompiledPolicy.of(policy));
		}
		return new AuthorizationTable(List.copyOf(compiled), targeted, meters);
	}

	boolean isEmpty() {
		return policies.isEmpty();
	}

	/** The policies that may apply to requests of {@code route}, in evaluation order. */
	RoutePolicies forRoute(String route) {
		RoutePolicies found = byRoute.get(route);
		return found != null ? found : byRoute.computeIfAbsent(route, untargeted);
	}

	private RoutePolicies routePolicies(String route) {
		List<ScopedPolicy> dryRunDeny = new ArrayList<>();
		List<ScopedPolicy> deny = new ArrayList<>();
		List<ScopedPolicy> allow = new ArrayList<>();
		List<ScopedPolicy> dryRunAllow = new ArrayList<>();
		int slot = 0;
		for (CompiledPolicy policy : policies) {
			ValueMatch[] hosts;
			if (policy.gateway() || policy.targetsRoute(route)) {
				hosts = null;
			}
			else if (policy.hosts().length > 0) {
				hosts = policy.hosts();
			}
			else {
				continue;
			}
			ScopedPolicy scoped = new ScopedPolicy(policy, hosts, slot);
			slot += policy.rules().length + 1;
			(policy.action() == Action.DENY ? policy.dryRun() ? dryRunDeny : deny
					: policy.dryRun() ? dryRunAllow : allow).add(scoped);
		}
		// dry-run DENY policies first: each counts every request it matches, whatever denies it
		dryRunDeny.addAll(deny);
		return new RoutePolicies(route, dryRunDeny.toArray(ScopedPolicy[]::new), allow.toArray(ScopedPolicy[]::new),
				dryRunAllow.toArray(ScopedPolicy[]::new), slot, meters);
	}

	/** A policy as compiled: its rules, and the targets that decide where it applies. */
	record CompiledPolicy(String name, Action action, boolean dryRun, boolean gateway, Set<String> routes,
			ValueMatch[] hosts, CompiledRule[] rules) {

		static CompiledPolicy of(AuthorizationPolicy policy) {
			return new CompiledPolicy(policy.name(), policy.action(), policy.dryRun(), policy.targets().gateway(),
					Set.copyOf(policy.targets().routes()), ValueMatch.compile(policy.targets().hosts()),
					policy.rules().stream().map(CompiledRule::of).toArray(CompiledRule[]::new));
		}

		boolean targetsRoute(String route) {
			return routes.contains(route);
		}

		/** The index of the first rule that matches {@code request}; -1 if none does. */
		int firstMatch(RequestFacts request) {
			for (int i = 0; i < rules.length; i++) {
				if (rules[i].matches(request)) {
					return i;
				}
			}
			return -1;
		}

	}

	/**
	 * A policy in a route's list: {@code hosts} is {@code null} when it applies to every request
	 * of the route, else the hosts one of which the request's must match. {@code slot} is where its
	 * decision counters start: one per rule, then one for a request no rule matched.
	 */
	record ScopedPolicy(CompiledPolicy policy, ValueMatch[] hosts, int slot) {

		boolean appliesTo(RequestFacts request) {
			return hosts == null || ValueMatch.any(hosts, request.host());
		}

	}

	/**
	 * The policies of one route: DENY (dry-run ones first), enforced ALLOW, dry-run ALLOW; and the
	 * route's decision counters, registered on first use (a rule that never decides has none).
	 */
	static final class RoutePolicies implements PolicyEvaluation.Decisions {

		final ScopedPolicy[] deny;

		final ScopedPolicy[] allow;

		final ScopedPolicy[] dryRunAllow;

		private final String route;

		private final DecisionCounters counters;

		RoutePolicies(String route, ScopedPolicy[] deny, ScopedPolicy[] allow, ScopedPolicy[] dryRunAllow, int slots,
				MeterRegistry meters) {
			this.route = route;
			this.deny = deny;
			this.allow = allow;
			this.dryRunAllow = dryRunAllow;
			this.counters = new DecisionCounters(meters, route, slots);
		}

		String route() {
			return route;
		}

		boolean isEmpty() {
			return deny.length == 0 && allow.length == 0 && dryRunAllow.length == 0;
		}

		/** Counts the decision of {@code scoped}'s rule {@code rule}; -1: no rule of it matched. */
		@Override
		public void count(ScopedPolicy scoped, int rule) {
			counters.count(scoped, rule);
		}

		/** Counts a request allowed because no ALLOW policy applies to it. */
		@Override
		public void countUnpoliced() {
			counters.countUnpoliced();
		}

	}

}
