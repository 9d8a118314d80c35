package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.edge.RequestHost;
import io.meshgate.policy.route.HostMatch;
import io.meshgate.policy.route.HostPattern;

/**
 * Matches the request's host as Gateway API, Envoy and Istio do, where Spring Cloud Gateway's
 * {@code Host} (Spring path patterns over the raw header) does not: the port is ignored, case
 * does not matter, and {@code *.example.com} takes one or more labels but never
 * {@code example.com} ({@link HostPattern}): {@code HostMatch=*.example.com}. The host is read
 * once per request ({@link RequestHost}); a missing or malformed {@code Host} matches no pattern.
 * The arguments are the fields of {@link HostMatch}.
 */
public class HostMatchRoutePredicateFactory extends PolicyPredicateFactory<HostMatch> {

	public HostMatchRoutePredicateFactory() {
		super(HostMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("host");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(HostMatch match) {
		HostPattern pattern = HostPattern.of("host", match.host());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				return pattern.matches(RequestHost.of(exchange));
			}

			@Override
			public String toString() {
				return "HostMatch " + pattern;
			}
		};
	}

}
