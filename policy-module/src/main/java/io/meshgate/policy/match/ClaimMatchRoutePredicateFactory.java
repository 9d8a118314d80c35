package io.meshgate.policy.match;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.route.ClaimMatch;
import io.meshgate.policy.route.LinearRegex;
import io.meshgate.policy.security.ClaimPath;
import io.meshgate.policy.security.Identity;

/**
 * Matches when a claim of the request's verified token matches a regular expression wholly, as
 * Istio's {@code request.auth.claims} matches: {@code ClaimMatch=tier, beta},
 * {@code ClaimMatch=realm.roles, admin}. An array claim matches when one of its elements does.
 * The claims are those the edge verified before route lookup ({@link Identity}); a request without
 * a verified token, or whose token lacks the claim, never matches. Headers never stand in for
 * claims. The arguments are the fields of {@link ClaimMatch}.
 */
public class ClaimMatchRoutePredicateFactory extends PolicyPredicateFactory<ClaimMatch> {

	public ClaimMatchRoutePredicateFactory() {
		super(ClaimMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("claim", "regexp");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(ClaimMatch match) {
		ClaimPath claim = ClaimPath.of("claim", match.claim());
		Predicate<String> regexp = LinearRegex.wholeMatch("regexp", match.regexp());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				Map<String, Object> claims = Identity.of(exchange).claims();
				return !claims.isEmpty() && claim.anyMatches(claims, regexp);
			}

			@Override
			public String toString() {
				return "ClaimMatch " + claim + " " + match.regexp();
			}
		};
	}

}
