package io.meshgate.policy;

import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;

/**
 * Where each policy sits on a request's way through the gateway: every order Meshgate gives a
 * web filter, a route filter, a global filter or a handler is here. The edge runs first, before
 * route lookup and before any other WebFilter reads the request (Spring Security's chain sits at
 * -100): its steps ({@code edge.EdgeFilter}) in their {@code EDGE_*} order, as one web filter
 * ({@code edge.EdgeWebFilter}). Route filters usually run in the order they are listed; Meshgate's filters carry
 * fixed orders instead, so that a route behaves the same however its filters were written down.
 * Route and global filters are sorted together, by these numbers, into one chain.
 *
 * <pre>
 * [the request's record joins its exchange] -> edge (web filters, before route lookup): client
 *   address and client headers -> path normalized
 *   -> peer certificate identity -> tokens verified (identity for routing by claims)
 * [route lookup, which answers CORS preflights] -> gRPC call (deadline, status) -> stream idle timeout
 *   -> CORS -> authentication (JWT, API key) -> external
 *   authorization -> authorization policies (DENY, then ALLOW)
 *   -> (small response: one write) -> rate limit -> fault -> route timeout
 *   -> response headers (on commit) -> redirect (answers) -> request headers -> URL rewrite
 *   -> mirror fork -> [route URL] -> canary backend -> the backend's own headers -> retry (budgeted)
 *   -> upstream call: guard, endpoint pick, accounting -> [load balancer: passes]
  -> WebSocket upgrade (proxied there) or routing
 * </pre>
 */
public final class PolicyOrder {

	// edge: web filters, run on every request before the route is looked up

	/**
	 * The request's record joins its exchange before any other filter runs, so that every later
	 * filter finds its server span ({@code observe.RequestRecordFilter}).
	 */
	public static final int REQUEST_RECORD = Ordered.HIGHEST_PRECEDENCE;

	/** Client address, forwarded scheme and host, client headers ({@code edge.ClientRequestFilter}). */
	public static final int EDGE_CLIENT = Ordered.HIGHEST_PRECEDENCE + 10;

	/** The path is normalized before every later filter, security and route lookup included. */
	public static final int EDGE_PATH = Ordered.HIGHEST_PRECEDENCE + 100;

	/**
	 * The verified client certificate becomes the request's peer identity
	 * ({@code security.Identity}); a client-sent {@code x-forwarded-client-cert} is removed.
	 */
	public static final int EDGE_PEER_IDENTITY = Ordered.HIGHEST_PRECEDENCE + 150;

	/**
	 * Tokens of configured JWT providers are verified before route lookup, so that routes can match
	 * on claims; the result is recorded, and each route's authentication decides what it requires.
	 */
	public static final int EDGE_TOKENS = Ordered.HIGHEST_PRECEDENCE + 200;

	/**
	 * Meshgate's error handler: before Spring Boot's default one (-1), which renders HTML for
	 * browsers ({@code error.GatewayErrorHandler}).
	 */
	public static final int ERROR_HANDLER = -2;

	/**
	 * The tracing handler that gives Spring's server observation Meshgate's server span
	 * ({@code observe.ServerObservationSpan}), ahead of Micrometer's receiver handler, which would
	 * record a second one.
	 */
	public static final int SERVER_OBSERVATION_SPAN = Ordered.HIGHEST_PRECEDENCE + 5;

	// route: gateway filters of the matched route, and global filters, in one chain

	/**
	 * A small upstream response is written in one piece: wraps the response just inside the
	 * gateway's response writer ({@code upstream.SmallResponseFilter}).
	 */
	public static final int SMALL_RESPONSE = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	/**
	 * The primary's answer is kept for a mirror's comparison: wraps the response outside the
	 * gateway's response writer, which writes to the response it was given, not to one a later
	 * filter installs ({@code mirror.MirrorResponseCaptureGatewayFilterFactory}).
	 */
	public static final int MIRROR_CAPTURE = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 2;

	/**
	 * CORS: preflights are answered at route lookup ({@code cors.CorsPreflightProcessor}), before
	 * any route filter (browsers send them without credentials), and here should one reach the
	 * route's filters; other requests register their CORS headers here, set on commit, so that
	 * authentication's, rate limiting's and faults' own answers carry them too.
	 */
	public static final int CORS = -40;

	/**
	 * A gRPC call ({@code grpc.GrpcCallFilter}): around every other route filter and the response
	 * writer, so that its deadline covers the whole call and it sees the call's trailers arrive.
	 */
	public static final int GRPC_CALL = CORS - 10;

	/**
	 * A streaming route's idle timeout ({@code timeout.StreamIdleTimeoutGatewayFilterFactory}):
	 * outside the response writer, so that it sees the response body pass, and inside the gRPC
	 * call, which ends an idle gRPC stream with a status in its trailers.
	 */
	public static final int STREAM_IDLE = GRPC_CALL + 1;

	/**
	 * JWT and API-key authentication: sets the request's identity
	 * ({@code security.Identity}), or answers 401. Before rate limiting, which may key on the
	 * consumer.
	 */
	public static final int AUTHENTICATION = -30;

	/** External authorization (Istio's CUSTOM action): after authentication, before DENY and ALLOW. */
	public static final int EXT_AUTHZ = -20;

	/** Authorization policies of the route, its host and the gateway: DENY, then ALLOW. */
	public static final int AUTHORIZATION = -10;

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

	/**
	 * After the split chose the backend, whose own header changes it applies; before the retries,
	 * so that the changes are made once per request and every attempt carries them.
	 */
	public static final int BACKEND_HEADERS = CANARY + 1;

	/** Before the upstream call, so that every attempt is guarded and picks an endpoint anew. */
	public static final int RETRY = BACKEND_HEADERS + 1;

	/**
	 * One call per attempt to a Meshgate upstream ({@code upstream.call.UpstreamCallFilter}):
	 * breaker and concurrency cap, endpoint pick, accounting. Before Spring Cloud Gateway's
	 * load-balancer filter, which then finds the URL resolved.
	 */
	public static final int UPSTREAM_CALL = RETRY + 1;

	/**
	 * WebSocket upgrades ({@code upstream.call.WebSocketProxyFilter}), in the place of Spring Cloud
	 * Gateway's {@code WebsocketRoutingFilter}: after the upstream call picked the endpoint,
	 * before the routing filter, which then finds the request routed.
	 */
	public static final int WEBSOCKET = NettyRoutingFilter.ORDER - 1;

	/** The routing filter, in the place of Spring Cloud Gateway's own: last. */
	public static final int ROUTING = NettyRoutingFilter.ORDER;

	static {
		if (UPSTREAM_CALL >= ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER) {
			throw new IllegalStateException("policy orders must stay before the load balancer");
		}
	}

	private PolicyOrder() {
	}

}
