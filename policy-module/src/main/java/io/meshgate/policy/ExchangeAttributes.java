package io.meshgate.policy;

import java.net.InetSocketAddress;
import java.util.Map;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every piece of per-request state that Meshgate keeps in a {@code ServerWebExchange}'s
 * attributes, in one place (as Spring Cloud Gateway's {@code ServerWebExchangeUtils}): a reader
 * sees here what a request carries between filters. Names are prefixed so they never collide with
 * Spring's own attributes.
 */
public final class ExchangeAttributes {

	private static final String PREFIX = "io.meshgate.";

	/**
	 * The client's address ({@code InetSocketAddress}), resolved once at the edge: the TCP peer,
	 * or what trusted proxies forwarded. Read it with {@link #clientAddress}.
	 */
	public static final String CLIENT_ADDRESS = PREFIX + "clientAddress";

	/**
	 * Who is calling ({@code io.meshgate.policy.security.Identity}): peer certificate, verified
	 * token, API-key consumer. Read it with {@code Identity.of(exchange)}; absent until something
	 * was verified.
	 */
	public static final String IDENTITY = PREFIX + "identity";

	/**
	 * The request's host ({@code String}) as host matching reads it: the {@code Host} header in
	 * lower case, without port or trailing dot; the empty string when it is missing or malformed.
	 * Set by the first host match of a request and read with {@code edge.RequestHost.of(exchange)},
	 * so a request whose routes match no host never computes it.
	 */
	public static final String REQUEST_HOST = PREFIX + "requestHost";

	/**
	 * The listener port the request arrived on ({@code Integer}): the port its server stands for,
	 * not the one it is bound to. Set by the first listener match of a request and read with
	 * {@code route.ListenerPorts#of(exchange)}, so a request whose routes match no listener never
	 * computes it.
	 */
	public static final String LISTENER_PORT = PREFIX + "listenerPort";

	/** The upstream name this request was sent to by the canary split ({@code String}). */
	public static final String BACKEND = PREFIX + "backend";

	/** How many retries the request took ({@code Integer}). */
	public static final String RETRIES = PREFIX + "retries";

	/**
	 * The instance ids ({@code host:port}) that already failed this request ({@code Set<String>}),
	 * added by the retry filter. A retry avoids them while the upstream has other endpoints, and
	 * picks apart from the schedule that first tries follow.
	 */
	public static final String TRIED_ENDPOINTS = PREFIX + "triedEndpoints";

	/**
	 * The current try's call to a Meshgate upstream
	 * ({@code io.meshgate.policy.upstream.call.UpstreamCall}: the upstream's runtime and the chosen
	 * endpoint), set anew for every try by the upstream call filter and read by the routing filter.
	 * Read it with {@code UpstreamCall.of(exchange)}; absent for service ids that are not Meshgate
	 * upstreams.
	 */
	public static final String UPSTREAM_CALL = PREFIX + "upstreamCall";

	/** Set by the mirror filter: a shadow copy of this request was sent ({@code Boolean}). */
	public static final String MIRRORED = PREFIX + "mirrored";

	/**
	 * Set on routes with a comparing mirror: the primary's answer as the client gets it, kept once
	 * the mirror filter arms it ({@code mirror.PrimaryCapture}).
	 */
	public static final String MIRROR_CAPTURE = PREFIX + "mirrorCapture";

	/**
	 * The request's gRPC call ({@code io.meshgate.policy.grpc.GrpcCall}: its {@code grpc-status}
	 * once known, the outcome of its last try), set by the gRPC call filter for requests with
	 * {@code content-type: application/grpc}, or by a gateway-made gRPC error. Read it with
	 * {@code GrpcCall.of(exchange)}; absent for other requests.
	 */
	public static final String GRPC_CALL = PREFIX + "grpcCall";

	/** Set when a route or per-try timeout fired ({@code Boolean}). */
	public static final String TIMED_OUT = PREFIX + "timedOut";

	/**
	 * What Meshgate records of the request ({@code io.meshgate.policy.observe.RequestRecord}: its
	 * server span, its byte counts), set first of all by the record filter. Read it with
	 * {@code RequestRecord.of(exchange)}; absent for a request that is not recorded.
	 */
	public static final String REQUEST_RECORD = PREFIX + "requestRecord";

	private ExchangeAttributes() {
	}

	/**
	 * The client's address: {@link #CLIENT_ADDRESS}, or the TCP peer where the edge filter did not
	 * run (an exchange built in a test); {@code null} when neither is known.
	 */
	public static InetSocketAddress clientAddress(ServerWebExchange exchange) {
		return clientAddress(exchange.getAttributes(), exchange.getRequest());
	}

	/** {@link #clientAddress(ServerWebExchange)} from an exchange's attributes and its request. */
	public static InetSocketAddress clientAddress(Map<String, Object> attributes, ServerHttpRequest request) {
		return attributes.get(CLIENT_ADDRESS) instanceof InetSocketAddress client ? client : request.getRemoteAddress();
	}

}
