package io.meshgate.policy;

import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;

/**
 * Where each policy sits on a request's way through the gateway. Edge WebFilters run first, before
 * route lookup and before any other WebFilter reads the request (Spring Security's chain sits at
 * -100). Route filters usually run in the order they are listed; Meshgate's filters carry fixed
 * orders instead, so that a route behaves the same however its filters were written down.
 *
 * <pre>
 * edge (web filters, before route lookup): client address and client headers -> path normalized
 * [route lookup] -> rate limit -> fault -> route timeout -> response headers (on commit) -> redirect (answers)
 *   -> request headers -> URL rewrite -> mirror fork -> [route URL] -> canary backend
 *   -> retry (budgeted) -> [load balancer: endpoint] -> upstream call
 * </pre>
 */
public final class PolicyOrder {

	// edge: web filters, run on every request before the route is looked up

	/** Client address, forwarded scheme and host, client headers ({@code edge.ClientRequestFilter}). */
	public static final int EDGE_CLIENT = Ordered.HIGHEST_PRECEDENCE + 10;

	/** The path is normalized before every later filter, security and route lookup included. */
	public static final int EDGE_PATH = Ordered.HIGHEST_PRECEDENCE + 100;

	// route: gateway filters of the matched route

	public static final int RATE_LIMIT = 1;

	public static final int FAULT = 2;

	public static final int ROUTE_TIMEOUT = 3;

	/** Registered early, applied when the response commits: covers the gateway's own answers too. */
	public static final int RESPONSE_HEADERS = 4;

	public static final int REDIRECT = 5;

	public static final int REQUEST_HEADERS = 6;

	/** Before the mirror fork and the route URL: mirrors and upstreams see the rewritten request. */
	public static final int URL_REWRITE = 7;

	public static final int MIRROR = 8;

	/** After the route's URI became the request URL: the backend replaces the URL's upstream. */
	public static final int CANARY = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

	/** Before the load balancer, so that every attempt picks an endpoint anew. */
	public static final int RETRY = CANARY + 1;

	/** Between retry and load balancer: one breaker call per attempt (upstream policies). */
	public static final int UPSTREAM_GUARD = RETRY + 1;

	static {
		if (UPSTREAM_GUARD >= ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER) {
			throw new IllegalStateException("policy orders must stay before the load balancer");
		}
	}

	private PolicyOrder() {
	}

}
