package io.meshgate.policy.cors;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;

/**
 * Each route's CORS filter, resolved once per route table: when the gateway's route cache is
 * rebuilt ({@code RefreshRoutesResultEvent}), every route's filters are looked through once and
 * the finding kept by route object. A request then finds its route's CORS filter, or that it has
 * none, with one identity lookup ({@link #of}); only a route the last table did not list yet (served
 * between a switch and the event that follows it) has its filters looked through per request.
 */
public final class CorsRoutes implements ApplicationListener<RefreshRoutesResultEvent> {

	private static final Log log = LogFactory.getLog(CorsRoutes.class);

	/** A route of the table without a CORS filter. */
	private static final Object NONE = new Object();

	private final RouteLocator routes;

	/** Route object to its {@link CorsFilter} or {@link #NONE}; replaced whole, never changed. */
	private volatile Map<Route, Object> byRoute = Map.of();

	/** @param routes the gateway's cached route locator, which has its table when the event comes */
	public CorsRoutes(RouteLocator routes) {
		this.routes = routes;
	}

	@Override
	public void onApplicationEvent(RefreshRoutesResultEvent event) {
		this.routes.getRoutes()
			.collectList()
			.subscribe(this::resolve, error -> log.warn("CORS filters of the routes not resolved again: " + error));
	}

	void resolve(List<Route> table) {
		Map<Route, Object> resolved = new IdentityHashMap<>(table.size() * 2);
		for (Route route : table) {
			CorsFilter cors = CorsFilter.of(route);
			resolved.put(route, cors == null ? NONE : cors);
		}
		byRoute = resolved;
	}

	/** The CORS filter of {@code route}; null when it has none or there is no route. */
	CorsFilter of(Route route) {
		if (route == null) {
			return null;
		}
		Object known = byRoute.get(route);
		if (known == null) {
			return CorsFilter.of(route);
		}
		return known instanceof CorsFilter cors ? cors : null;
	}

}
