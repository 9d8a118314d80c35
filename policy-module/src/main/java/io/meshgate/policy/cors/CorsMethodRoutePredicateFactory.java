package io.meshgate.policy.cors;

import java.util.List;
import java.util.function.Predicate;

import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.cloud.gateway.handler.predicate.MethodRoutePredicateFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's {@code Method} predicate that also matches the CORS preflight of a
 * request it would match: {@code CorsMethod=GET,POST} matches GET and POST, and an
 * {@code OPTIONS} carrying {@code Origin} and {@code Access-Control-Request-Method: GET} or
 * {@code POST}. A browser's preflight thus finds the route its request will take, and that
 * route's CORS policy answers it; other {@code OPTIONS} requests match only where {@code OPTIONS}
 * is listed. Meshgate routes with {@code cors} and {@code match.methods} use it in place of
 * {@code Method}. Arguments as {@code Method}'s.
 */
public class CorsMethodRoutePredicateFactory extends MethodRoutePredicateFactory {

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		Predicate<ServerWebExchange> method = super.apply(config);
		List<String> names = config.getMethods() == null ? List.of()
				: List.of(config.getMethods()).stream().map(HttpMethod::name).toList();
		return new GatewayPredicate() {
			@Override
			public boolean test(ServerWebExchange exchange) {
				if (method.test(exchange)) {
					return true;
				}
				ServerHttpRequest request = exchange.getRequest();
				return CorsUtils.isPreFlightRequest(request)
						&& names.contains(request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD));
			}

			@Override
			public String toString() {
				return "CorsMethod: " + names + " and their CORS preflights";
			}
		};
	}

}
