package io.meshgate.policy.security.authz;

import io.meshgate.policy.security.authz.AuthorizationTable.RoutePolicies;
import io.meshgate.policy.security.authz.AuthorizationTable.ScopedPolicy;

/**
 * Istio's evaluation of the policies of a route for one request, told to a {@link Decisions} as it
 * goes: DENY policies first (dry-run ones only counted), then the ALLOW policies that apply. The
 * request path tells the route's counters ({@link RoutePolicies}), the route tester a record of
 * what decided ({@link AuthorizationExplanation}); nothing else differs between them.
 */
final class PolicyEvaluation {

	/** Who hears the steps of an evaluation. */
	interface Decisions {

		/**
		 * {@code scoped}'s rule {@code rule} decided (-1: none of its rules matched, which for an
		 * ALLOW policy denies): for a dry-run policy, a denial it would make.
		 */
		void count(ScopedPolicy scoped, int rule);

		/** The request is allowed because no DENY rule matched and no ALLOW policy applies. */
		void countUnpoliced();

	}

	private PolicyEvaluation() {
	}

	/** The policy that denies the request, after telling {@code decisions}; {@code null} when it may pass. */
	static ScopedPolicy decide(RoutePolicies policies, RequestFacts request, Decisions decisions) {
		for (ScopedPolicy scoped : policies.deny) {
			if (scoped.appliesTo(request)) {
				int rule = scoped.policy().firstMatch(request);
				if (rule >= 0) {
					decisions.count(scoped, rule);
					if (!scoped.policy().dryRun()) {
						return scoped;
					}
				}
			}
		}
		ScopedPolicy firstApplying = null;
		ScopedPolicy allowing = null;
		int allowingRule = -1;
		for (ScopedPolicy scoped : policies.allow) {
			if (scoped.appliesTo(request)) {
				firstApplying = firstApplying == null ? scoped : firstApplying;
				allowingRule = scoped.policy().firstMatch(request);
				if (allowingRule >= 0) {
					allowing = scoped;
					break;
				}
			}
		}
		// a dry-run ALLOW policy would deny what it applies to unless it or an enforced one allows it
		for (ScopedPolicy scoped : policies.dryRunAllow) {
			if (allowing == null && scoped.appliesTo(request) && scoped.policy().firstMatch(request) < 0) {
				decisions.count(scoped, -1);
			}
		}
		if (allowing != null) {
			decisions.count(allowing, allowingRule);
			return null;
		}
		if (firstApplying != null) {
			// denied in the name of the first ALLOW policy that applies, none having matched
			decisions.count(firstApplying, -1);
			return firstApplying;
		}
		decisions.countUnpoliced();
		return null;
	}

}
