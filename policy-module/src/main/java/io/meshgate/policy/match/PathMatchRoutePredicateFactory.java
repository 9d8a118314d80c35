package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.route.PathMatch;

/**
 * Matches the request path as Gateway API and Ingress do, where Spring Cloud Gateway's
 * {@code Path} (Spring path patterns) does not: {@code PathMatch=PREFIX, /shop} (element-wise:
 * {@code /shop}, {@code /shop/cart}, not {@code /shopping}), {@code PathMatch=EXACT, /healthz},
 * {@code PathMatch=REGEX, /v[0-9]+/.*} (the whole path; write a regular expression containing a
 * comma in the {@code args} form; RE2 syntax). The path is the one the edge normalized
 * ({@code io.meshgate.policy.edge.PathNormalizationFilter}). The arguments are the fields of
 * {@link PathMatch}.
 */
public class PathMatchRoutePredicateFactory extends PolicyPredicateFactory<PathMatch> {

	public PathMatchRoutePredicateFactory() {
		super(PathMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("type", "path");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(PathMatch match) {
		Predicate<String> matcher = match.type().matcher(match.path());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				return matcher.test(exchange.getRequest().getPath().pathWithinApplication().value());
			}

			@Override
			public String toString() {
				return "PathMatch " + match.type() + " " + match.path();
			}
		};
	}

}
