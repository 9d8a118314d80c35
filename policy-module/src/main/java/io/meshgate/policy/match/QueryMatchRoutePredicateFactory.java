package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.route.LinearRegex;

/**
 * Matches when the query parameter's first value matches a regular expression wholly, as Gateway
 * API's {@code HTTPQueryParamMatch}, on RE2's linear-time engine ({@link LinearRegex}):
 * {@code QueryMatch=version, v[12]}. Spring Cloud Gateway's
 * {@code Query} takes any of the values and treats an empty expression as "present"; here a
 * missing parameter never matches, and {@code .*} means "present".
 */
public class QueryMatchRoutePredicateFactory
		extends AbstractRoutePredicateFactory<QueryMatchRoutePredicateFactory.Config> {

	public QueryMatchRoutePredicateFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("param", "regexp");
	}

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		String param = config.getParam();
		if (param == null || param.isBlank()) {
			throw new IllegalArgumentException("param: " + param + " (expected: a query parameter name)");
		}
		Predicate<String> regexp = LinearRegex.wholeMatch("regexp",
				config.getRegexp() == null ? "" : config.getRegexp());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				String value = exchange.getRequest().getQueryParams().getFirst(param);
				return value != null && regexp.test(value);
			}

			@Override
			public String toString() {
				return "QueryMatch " + param + " " + config.getRegexp();
			}
		};
	}

	/** Spring's bindable carrier. */
	public static class Config {

		private String param;

		private String regexp;

		public String getParam() {
			return param;
		}

		public void setParam(String param) {
			this.param = param;
		}

		public String getRegexp() {
			return regexp;
		}

		public void setRegexp(String regexp) {
			this.regexp = regexp;
		}

	}

}
