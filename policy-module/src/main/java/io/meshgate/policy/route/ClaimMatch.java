package io.meshgate.policy.route;

import io.meshgate.policy.security.ClaimPath;

/**
 * The arguments of the {@code ClaimMatch} predicate: {@code ClaimMatch=tier, beta}.
 *
 * @param claim the claim's name, or a path into object claims ({@code realm.roles}), as
 * {@link ClaimPath} reads it; required
 * @param regexp a regular expression (RE2 syntax, {@link LinearRegex}) the claim's value, or one
 * element of an array claim, must match wholly; required
 */
public record ClaimMatch(String claim, String regexp) {

	public ClaimMatch {
		ClaimPath.of("claim", claim);
		LinearRegex.compile("regexp", regexp);
	}

}
