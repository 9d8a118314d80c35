package io.meshgate.policy.security.authn;

import io.meshgate.policy.schema.NeverEmpty;

/**
 * What a route requires of its callers (Envoy Gateway's {@code SecurityPolicy} {@code jwt} and
 * {@code apiKeyAuth}, Istio's {@code RequestAuthentication} with a requiring policy):
 *
 * <pre>
 * authentication: {jwt: {providers: [idp], allowMissing: false}, apiKey: {fromHeader: x-api-key}}
 * </pre>
 *
 * With both, either credential lets a request through. A credential that is presented and fails
 * is always refused (401), even when a missing one would be allowed. Runs after CORS and before
 * authorization and rate limiting ({@code PolicyOrder.AUTHENTICATION}).
 *
 * @param jwt a token of one of these providers; default: no token required
 * @param apiKey an API key of a consumer; default: no key required
 */
@NeverEmpty
public record AuthenticationPolicy(JwtRequirement jwt, ApiKeyRequirement apiKey) {

	public AuthenticationPolicy {
		if (jwt == null && apiKey == null) {
			throw new IllegalArgumentException("jwt: null (expected: jwt, apiKey or both)");
		}
	}

}
