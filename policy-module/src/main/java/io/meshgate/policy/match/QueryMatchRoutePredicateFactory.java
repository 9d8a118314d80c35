package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.route.LinearRegex;
import io.meshgate.policy.route.QueryMatch;

/**
 * Matches when the query parameter's first value matches a regular expression wholly, as Gateway
 * API's {@code HTTPQueryParamMatch}, on RE2's linear-time engine ({@link LinearRegex}):
 * {@code QueryMatch=version, v[12]}. Spring Cloud Gateway's
 * {@code Query} takes any of the values and treats an empty expression as "present"; here a
 * missing parameter never matches, and {@code .*} means "present". The arguments are the fields
 * of {@link QueryMatch}.
 */
public class QueryMatchRoutePredicateFactory extends PolicyPredicateFactory<QueryMatch> {

	public QueryMatchRoutePredicateFactory() {
		super(QueryMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("param", "regexp");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(QueryMatch match) {
		String param = match.param();
		Predicate<String> regexp = LinearRegex.wholeMatch("regexp", match.regexp());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				String value = exchange.getRequest().getQueryParams().getFirst(param);
				return value != null && regexp.test(value);
			}

			@Override
			public String toString() {
				return "QueryMatch " + param + " " + match.regexp();
			}
		};
	}

}
