package io.meshgate.policy.canary;

import java.util.List;
import java.util.regex.Pattern;

import io.meshgate.policy.edge.CidrSet;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.schema.Example;

/**
 * How a route's split treats individual clients:
 * {@code canary: {stickyOn: cookie:session, overrideHeader: x-canary, overrideFrom: [10.0.0.0/8]}}.
 *
 * <p>The override lets a request choose its backend, so it is off unless a route turns it on,
 * and it never reaches a backend with weight 0 unless {@code allowZeroWeight} says so: weight 0
 * means no traffic (Gateway API's {@code backendRefs[].weight: 0}).
 *
 * @param stickyOn the request part that identifies a client ({@code cookie:session},
 * {@code header:x-user}, {@code client-address}, or of the verified identity {@code claim:sub},
 * {@code consumer}, {@code principal}, {@code request-principal}); the same value always reaches
 * the same backend on every replica; a request without it draws by weight; default: none, each
 * request draws anew
 * @param overrideHeader a header whose value names the backend to use (for testers); default
 * none: no request chooses its backend
 * @param overrideFrom the client address ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) whose
 * override header counts, matched against the client address the edge resolved (trusted proxies
 * only); default: any client; only with {@code overrideHeader}
 * @param allowZeroWeight whether the override may choose a backend with weight 0; default false
 * @param rollout moves the second backend (the canary) in from the first (the baseline) step by
 * step while gates comparing the two hold, and back to weight 0 when one fails
 * ({@link RolloutPolicy}, docs/rollouts.md); only on a route with exactly these two backends;
 * default none: weights change only when edited
 */
public record CanaryPolicy(@Example({ "cookie:session", "header:x-user" }) HashKey stickyOn,
		@Example("x-canary") String overrideHeader, List<String> overrideFrom,
		Boolean allowZeroWeight, RolloutPolicy rollout) {

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	public static final CanaryPolicy DEFAULT = new CanaryPolicy(null, null, null, null, null);

	public CanaryPolicy {
		overrideHeader = overrideHeader == null || overrideHeader.isBlank() ? null : overrideHeader.trim();
		if (overrideHeader != null && !TOKEN.matcher(overrideHeader).matches()) {
			throw new IllegalArgumentException(
					"overrideHeader: " + overrideHeader + " (expected: a header name, or none to turn it off)");
		}
		overrideFrom = overrideFrom == null ? List.of() : List.copyOf(overrideFrom);
		allowZeroWeight = allowZeroWeight != null && allowZeroWeight;
		if (overrideHeader == null && (!overrideFrom.isEmpty() || allowZeroWeight)) {
			throw new IllegalArgumentException("overrideHeader: null (expected: a header name when "
					+ (overrideFrom.isEmpty() ? "allowZeroWeight" : "overrideFrom") + " is set)");
		}
		CidrSet.of("overrideFrom", overrideFrom);
	}

	/** Only {@code stickyOn}; no override. */
	public static CanaryPolicy sticky(HashKey stickyOn) {
		return new CanaryPolicy(stickyOn, null, null, null, null);
	}

	/** An override by {@code header} from any client, to backends with weight > 0. */
	public CanaryPolicy withOverride(String header) {
		return new CanaryPolicy(stickyOn, header, overrideFrom, allowZeroWeight, rollout);
	}

	/** This policy with {@code rollout} moving the canary. */
	public CanaryPolicy withRollout(RolloutPolicy rollout) {
		return new CanaryPolicy(stickyOn, overrideHeader, overrideFrom, allowZeroWeight, rollout);
	}

	public boolean overridable() {
		return overrideHeader != null;
	}

	/** {@link #overrideFrom} as address ranges (empty: any client). */
	public CidrSet overrideSources() {
		return CidrSet.of("overrideFrom", overrideFrom);
	}

}
