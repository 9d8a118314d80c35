package io.meshgate.admin.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.security.authz.AuthorizationPolicy;

/**
 * The checks of stored authorization policies across the configuration, every error at once:
 * unique names, and route targets that name stored routes. Like stored routes, which reach stored
 * upstreams only, stored policies target stored routes only: a read-only source may drop its
 * routes at any time, and the stored configuration must stay valid without it.
 */
final class PolicyChecks {

	private PolicyChecks() {
	}

	static void crossCheck(List<AuthorizationPolicy> policies, List<Route> routes, MeshConfig others,
			List<ConfigError> errors) {
		Set<String> names = new HashSet<>();
		others.authorizationPolicies().forEach(p -> names.add(p.name()));
		Set<String> otherNames = Set.copyOf(names);
		Set<String> stored = new HashSet<>();
		routes.forEach(r -> stored.add(r.id()));
		Set<String> readOnly = new HashSet<>();
		others.routes().forEach(r -> readOnly.add(r.id()));
		for (AuthorizationPolicy policy : policies) {
			String prefix = BoundConfig.POLICIES + "[" + policy.name() + "]";
			if (!names.add(policy.name())) {
				errors.add(ConfigBinder.error(prefix + ".name", "name: " + policy.name()
						+ (otherNames.contains(policy.name())
								? " (expected: unique; a policy of that name comes from another source and is read-only)"
								: " (expected: unique)")));
			}
			List<String> targets = policy.targets().routes();
			for (int i = 0; i < targets.size(); i++) {
				String route = targets.get(i);
				if (!stored.contains(route)) {
					errors.add(ConfigBinder.error(prefix + ".targets.routes[" + i + "]",
							"routes[" + i + "]: " + route + " (expected: one of the routes " + stored.stream().sorted().toList()
									+ (readOnly.contains(route) ? "; " + route
											+ " comes from another source and is read-only: target a route of your own)"
											: ")")));
				}
			}
		}
	}

}
