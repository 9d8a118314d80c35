package io.meshgate.policy.security.authn;

import java.util.List;

import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.NeverEmpty;

/**
 * The JWT a route requires: {@code jwt: {providers: [idp], allowMissing: false}}.
 *
 * @param providers the JWT providers whose tokens the route accepts, by name; at least one
 * @param allowMissing let requests without a token through, anonymous (Istio's
 * {@code RequestAuthentication} without an {@code AuthorizationPolicy}); a token that is present
 * and fails is refused all the same; default false
 */
@NeverEmpty
public record JwtRequirement(@Example("idp") List<String> providers, Boolean allowMissing) {

	public JwtRequirement {
		providers = providers == null ? List.of() : List.copyOf(providers);
		if (providers.isEmpty()) {
			throw new IllegalArgumentException("providers: [] (expected: at least one JWT provider's name)");
		}
		allowMissing = allowMissing != null && allowMissing;
	}

}
