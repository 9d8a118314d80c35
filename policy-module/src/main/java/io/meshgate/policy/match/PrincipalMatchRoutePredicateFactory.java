package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.route.PrincipalMatch;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.PeerIdentity;
import io.meshgate.policy.security.PrincipalPattern;

/**
 * Matches when the request's verified client certificate carries one of the principals, as
 * Istio's {@code source.principal}: {@code PrincipalMatch=spiffe://cluster.local/ns/shop/sa/web},
 * prefixes and suffixes with {@code *} ({@link PrincipalPattern}). The peer identity is the one
 * the HTTPS listener verified ({@link Identity#peer()}); a request without a verified client
 * certificate never matches, and no header stands in for one. The arguments are the fields of
 * {@link PrincipalMatch}; several principals go in the {@code args} form
 * ({@code principals: "spiffe://a,spiffe://b"}).
 */
public class PrincipalMatchRoutePredicateFactory extends PolicyPredicateFactory<PrincipalMatch> {

	public PrincipalMatchRoutePredicateFactory() {
		super(PrincipalMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("principals");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(PrincipalMatch match) {
		Predicate<String> principals = PrincipalPattern.anyOf("principals", match.principals());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				PeerIdentity peer = Identity.of(exchange).peer();
				return peer != null && principals.test(peer.principal());
			}

			@Override
			public String toString() {
				return "PrincipalMatch " + match.principals();
			}
		};
	}

}
