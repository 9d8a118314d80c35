package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.route.LinearRegex;

/**
 * Matches when one of the header's values matches a regular expression wholly, as Spring Cloud
 * Gateway's {@code Header} does, but on RE2's linear-time engine ({@link LinearRegex}) instead of
 * a backtracking one: {@code HeaderMatch=x-env, canary|beta}. A missing header never matches;
 * {@code .*} means "present".
 */
public class HeaderMatchRoutePredicateFactory
		extends AbstractRoutePredicateFactory<HeaderMatchRoutePredicateFactory.Config> {

	public HeaderMatchRoutePredicateFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("header", "regexp");
	}

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		String header = config.getHeader();
		if (header == null || header.isBlank()) {
			throw new IllegalArgumentException("header: " + header + " (expected: a header name)");
		}
		Predicate<String> regexp = LinearRegex.wholeMatch("regexp", config.getRegexp());
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
				return "HeaderMatch " + header + " " + config.getRegexp();
			}
		};
	}

	/** Spring's bindable carrier. */
	public static class Config {

		private String header;

		private String regexp;

		public String getHeader() {
			return header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public String getRegexp() {
			return regexp;
		}

		public void setRegexp(String regexp) {
			this.regexp = regexp;
		}

	}

}
