package io.meshgate.policy.match;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.route.PathType;

/**
 * Matches the request path as Gateway API and Ingress do, where Spring Cloud Gateway's
 * {@code Path} (Spring path patterns) does not: {@code PathMatch=PREFIX, /shop} (element-wise:
 * {@code /shop}, {@code /shop/cart}, not {@code /shopping}), {@code PathMatch=EXACT, /healthz},
 * {@code PathMatch=REGEX, /v[0-9]+/.*} (the whole path; write a regular expression containing a
 * comma in the {@code args} form; RE2 syntax). The path is the one the edge normalized
 * ({@code io.meshgate.policy.edge.PathNormalizationFilter}).
 */
public class PathMatchRoutePredicateFactory extends AbstractRoutePredicateFactory<PathMatchRoutePredicateFactory.Config> {

	public PathMatchRoutePredicateFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("type", "path");
	}

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		PathType type = config.getType() == null ? PathType.PATTERN : config.getType();
		Predicate<String> matcher = type.matcher(config.getPath());
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				return matcher.test(exchange.getRequest().getPath().pathWithinApplication().value());
			}

			@Override
			public String toString() {
				return "PathMatch " + type + " " + config.getPath();
			}
		};
	}

	/** Spring's bindable carrier. */
	public static class Config {

		private PathType type;

		private String path;

		public PathType getType() {
			return type;
		}

		public void setType(PathType type) {
			this.type = type;
		}

		public String getPath() {
			return path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

}
