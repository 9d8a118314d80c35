package io.meshgate.policy.cors;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Where preflights of routes with a CORS policy are answered: in the gateway's handler mapping,
 * right after route lookup. WebFlux's handler mapping answers every preflight itself (with a
 * handler that writes nothing), before any filter of the route could run; this processor, the one
 * it asks for the CORS headers, answers with the route's policy instead. So authentication,
 * authorization, rate limits, faults and the upstream never see a preflight, whatever the
 * filters' orders. Routes without a Meshgate CORS filter keep WebFlux's processing (and Spring
 * Cloud Gateway's {@code globalcors}); for them nothing here runs but one lookup of their route
 * ({@link CorsRoutes}, resolved once per route table), on preflights only (and on every request
 * only where {@code globalcors} is configured).
 */
public final class CorsPreflightProcessor implements CorsProcessor {

	private final CorsProcessor others;

	private final CorsRoutes routes;

	/**
	 * @param others the processor for routes without a CORS filter of their own
	 * @param routes each route's CORS filter
	 */
	public CorsPreflightProcessor(CorsProcessor others, CorsRoutes routes) {
		this.others = others;
		this.routes = routes;
	}

	@Override
	public boolean process(CorsConfiguration configuration, ServerWebExchange exchange) {
		CorsFilter cors = routes.of(exchange.<Route>getAttribute(GATEWAY_ROUTE_ATTR));
		if (cors == null) {
			return others.process(configuration, exchange);
		}
		if (CorsUtils.isPreFlightRequest(exchange.getRequest())) {
			cors.answerPreflight(exchange);
		}
		// actual requests: the route's filter gives the response its headers
		return true;
	}

}
