package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.binding.PolicyPredicateFactory;
import io.meshgate.policy.route.HeaderMatch;
import io.meshgate.policy.route.LinearRegex;

/**
 * Matches when one of the header's values matches a regular expression wholly, as Spring Cloud
 * Gateway's {@code Header} does, but on RE2's linear-time engine ({@link LinearRegex}) instead of
 * a backtracking one: {@code HeaderMatch=x-env, canary|beta}. A missing header never matches;
 * {@code .*} means "present". The arguments are the fields of {@link HeaderMatch}.
 */
public class HeaderMatchRoutePredicateFactory extends PolicyPredicateFactory<HeaderMatch> {

	public HeaderMatchRoutePredicateFactory() {
		super(HeaderMatch.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("header", "regexp");
	}

	@Override
	public Predicate<ServerWebExchange> predicate(HeaderMatch match) {
		String header = match.header();
		Predicate<String> regexp = LinearRegex.wholeMatch("regexp", match.regexp());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				List<String> values = exchange.getRequest().getHeaders().get(header);
				if (values == null) {
					return false;
				}
				for (String value : values) {
					if (regexp.test(value)) {
						return true;
					}
				}
				return false;
			}

			@Override
			public String toString() {
				return "HeaderMatch " + header + " " + match.regexp();
			}
		};
	}

}
