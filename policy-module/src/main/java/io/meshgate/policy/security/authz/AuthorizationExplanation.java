package io.meshgate.policy.security.authz;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.security.authz.AuthorizationPolicy.Action;
import io.meshgate.policy.security.authz.AuthorizationTable.RoutePolicies;
import io.meshgate.policy.security.authz.AuthorizationTable.ScopedPolicy;

/**
 * Which policy and rule decide a request, and why: the policies compiled as the gateway compiles
 * them ({@link AuthorizationTable}) and evaluated by the same code
 * ({@link PolicyEvaluation#decide}), with the steps recorded instead of counted. For the admin API's
 * route tester; a request is never denied by it, and the gateway's counters do not change.
 *
 * @param allowed whether the request passes authorization (an ext-authz decision aside)
 * @param policy the policy that decided; {@code null} when none did
 * @param action that policy's action
 * @param rule the index of its rule that matched; {@code null} for an ALLOW policy none of whose
 * rules matched (which denies), or when no policy decided
 * @param dryRunDenials what dry-run policies would deny, counted but not enforced
 * @param reason the decision in a sentence
 */
public record AuthorizationExplanation(boolean allowed, String policy, Action action, Integer rule,
		List<DryRunDenial> dryRunDenials, String reason) {

	/** A denial a dry-run policy would make: by its rule {@code rule}, or ({@code null}) by none matching. */
	public record DryRunDenial(String policy, Integer rule) {

	}

	/** How {@code policies} decide {@code exchange}, a request that route {@code route} matched. */
	public static AuthorizationExplanation of(List<AuthorizationPolicy> policies, String route,
			ServerWebExchange exchange) {
		if (policies.isEmpty()) {
			return new AuthorizationExplanation(true, null, null, null, List.of(),
					"no authorization policy is configured: allowed");
		}
		// counters are registered only when counted, and this evaluation counts nothing
		RoutePolicies applying = AuthorizationTable.compile(policies, new SimpleMeterRegistry()).forRoute(route);
		if (applying.isEmpty()) {
			return new AuthorizationExplanation(true, null, null, null, List.of(),
					"no authorization policy targets the route, its hosts or the gateway: allowed");
		}
		Steps steps = new Steps();
		ScopedPolicy denying = PolicyEvaluation.decide(applying, new RequestFacts(exchange), steps);
		List<DryRunDenial> dryRun = List.copyOf(steps.dryRun);
		if (steps.unpoliced) {
			return new AuthorizationExplanation(true, null, null, null, dryRun,
					"no DENY policy's rule matched and no ALLOW policy applies to the request: allowed");
		}
		AuthorizationPolicy decided = policies.stream().filter(p -> p.name().equals(steps.policy.name())).findFirst()
			.orElseThrow();
		Integer rule = steps.rule >= 0 ? steps.rule : null;
		String reason;
		if (denying == null) {
			reason = "ALLOW policy " + decided.name() + ", rule " + rule + " matched: allowed";
		}
		else if (decided.action() == Action.DENY) {
			reason = "DENY policy " + decided.name() + ", rule " + rule + " matched: denied (403)";
		}
		else {
			reason = "ALLOW policies apply to the request and none of their rules matched: denied (403) in the name of "
					+ decided.name() + ", the first that applies";
		}
		return new AuthorizationExplanation(denying == null, decided.name(), decided.action(), rule, dryRun, reason);
	}

	/** The steps of one evaluation: the enforced policy that decided, what dry-run ones would deny. */
	private static final class Steps implements PolicyEvaluation.Decisions {

		private AuthorizationTable.CompiledPolicy policy;

		private int rule = -1;

		private boolean unpoliced;

		private final List<DryRunDenial> dryRun = new ArrayList<>();

		@Override
		public void count(ScopedPolicy scoped, int rule) {
			if (scoped.policy().dryRun()) {
				dryRun.add(new DryRunDenial(scoped.policy().name(), rule >= 0 ? rule : null));
			}
			else {
				this.policy = scoped.policy();
				this.rule = rule;
			}
		}

		@Override
		public void countUnpoliced() {
			unpoliced = true;
		}

	}

}
