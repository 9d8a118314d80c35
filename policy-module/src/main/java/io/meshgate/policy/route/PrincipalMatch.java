package io.meshgate.policy.route;

import java.util.List;

import io.meshgate.policy.security.PrincipalPattern;

/**
 * The arguments of the {@code PrincipalMatch} predicate:
 * {@code PrincipalMatch=spiffe://cluster.local/ns/shop/sa/web}.
 *
 * @param principals peer principals, one of which the request's verified client certificate
 * must carry: exact, {@code prefix*}, {@code *suffix} or {@code *} ({@link PrincipalPattern});
 * required, at least one
 */
public record PrincipalMatch(List<String> principals) {

	public PrincipalMatch {
		if (principals == null || principals.isEmpty()) {
			throw new IllegalArgumentException("principals: " + principals + " (expected: at least one principal)");
		}
		PrincipalPattern.anyOf("principals", principals);
		principals = List.copyOf(principals);
	}

}
