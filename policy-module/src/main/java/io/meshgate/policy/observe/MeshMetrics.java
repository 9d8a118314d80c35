package io.meshgate.policy.observe;

/**
 * The names of Meshgate's meters, in one place, so that every policy registers its meters under
 * the same prefix and tag names. Prometheus renders {@code meshgate.requests} as
 * {@code meshgate_requests_seconds_*}; dots become underscores.
 *
 * <p>Tags are bounded by the configuration, never by the traffic: route ids, upstream names,
 * endpoint addresses, status classes ({@code 2xx}); no paths, no client addresses.
 *
 * <p>Upstream policies (circuit breaker, outlier detection, active health checks, TLS) register
 * their meters under the names reserved here, tagged {@link #UPSTREAM} and, per endpoint,
 * {@link #ENDPOINT}.
 */
public final class MeshMetrics {

	/** Timer (histogram) of requests through the gateway: route, backend, upstream, status. */
	public static final String REQUESTS = "meshgate.requests";

	/** Counter of shadow copies by outcome: route, mirror, outcome (mirrored, failed, dropped, too_large). */
	public static final String MIRROR_REQUESTS = "meshgate.mirror.requests";

	/** Timer of shadow copies sent (an observation, so it is a span too): route, mirror, error. */
	public static final String MIRROR_DURATION = "meshgate.mirror.duration";

	/** Counter of retries: route, outcome (retried, budget_exhausted). */
	public static final String RETRIES = "meshgate.retries";

	/**
	 * Counter of CORS preflights the gateway answered: route, outcome (allowed, origin_denied,
	 * method_denied, headers_denied).
	 */
	public static final String CORS_PREFLIGHTS = "meshgate.cors.preflights";

	/** Counter of other requests carrying {@code Origin} on a route with CORS: route, outcome (allowed, origin_denied). */
	public static final String CORS_REQUESTS = "meshgate.cors.requests";

	/** Counter of requests answered 429 by a local rate limit: route. */
	public static final String RATE_LIMITED = "meshgate.ratelimit.rejected";

	/**
	 * Counter of external authorization decisions: route, decision (allow, deny), source (service:
	 * the auth service decided; cache: a kept decision of it; failure: the check failed and the
	 * route's {@code failOpen} decided).
	 */
	public static final String EXT_AUTHZ_DECISIONS = "meshgate.extauthz.decisions";

	/**
	 * Counter of failed external authorization checks: route, reason (timeout, connection,
	 * server_error, too_large, breaker_open, concurrency_limit).
	 */
	public static final String EXT_AUTHZ_FAILURES = "meshgate.extauthz.failures";

	/** Timer of calls to an external authorization service: route, result (allow, deny, failure). */
	public static final String EXT_AUTHZ_DURATION = "meshgate.extauthz.duration";

	/** Counter of ingress requests closed because their body missed its deadline: phase (body). */
	public static final String INGRESS_TIMEOUTS = "meshgate.ingress.timeouts";

	/** Counter of ingress requests refused for broken framing (bad chunk, content-length mismatch): protocol. */
	public static final String INGRESS_MALFORMED = "meshgate.ingress.malformed";

	/** Counter of access-log lines dropped because the writer fell behind. */
	public static final String ACCESS_LOG_DROPPED = "meshgate.accesslog.dropped";

	/** Reserved: gauge of a breaker's state, 1 for the current state: upstream, state. */
	public static final String BREAKER_STATE = "meshgate.circuitbreaker.state";

	/** Reserved: counter of outlier ejections: upstream, endpoint. */
	public static final String OUTLIER_EJECTIONS = "meshgate.outlier.ejections";

	/** Reserved: gauge, 1 when the active health check finds the endpoint healthy: upstream, endpoint. */
	public static final String ENDPOINT_HEALTHY = "meshgate.healthcheck.healthy";

	/** Reserved: counter of failed TLS handshakes: upstream. */
	public static final String TLS_HANDSHAKE_FAILURES = "meshgate.tls.handshake.failures";

	/** Reserved: gauge of seconds until the upstream's client certificate expires: upstream. */
	public static final String TLS_CERTIFICATE_EXPIRY = "meshgate.tls.certificate.expiry";

	public static final String ROUTE = "route";

	public static final String BACKEND = "backend";

	public static final String UPSTREAM = "upstream";

	public static final String ENDPOINT = "endpoint";

	public static final String STATUS = "status";

	public static final String MIRROR = "mirror";

	/** An exception's simple class name, {@code none} without one (as Micrometer's observations tag it). */
	public static final String ERROR = "error";

	/** A gRPC call's status name ({@code UNAVAILABLE}), empty for other requests. */
	public static final String GRPC_STATUS = "grpc_status";

	private MeshMetrics() {
	}

	/** {@code 2xx} for 200-299 and so on; {@code none} when there is no status. */
	public static String statusClass(int status) {
		return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
	}

}
