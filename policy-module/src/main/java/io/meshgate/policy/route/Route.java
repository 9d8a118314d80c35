package io.meshgate.policy.route;

import java.time.Duration;
import java.util.List;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.cors.CorsPolicy;
import io.meshgate.policy.fault.FaultPolicy;
import io.meshgate.policy.mirror.MirrorPolicy;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.retry.RetryPolicy;
import io.meshgate.policy.rewrite.HeaderModifier;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.rewrite.RewritePolicy;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.schema.Example;
import io.meshgate.policy.schema.FieldErrors;
import io.meshgate.policy.schema.ObjectName;
import io.meshgate.policy.security.authn.AuthenticationPolicy;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy;
import io.meshgate.policy.timeout.RouteTimeoutGatewayFilterFactory;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory;

/**
 * Where traffic goes (Istio VirtualService http route): the requests a route matches, the
 * weighted upstreams it sends them to, and the policies on the way. A route with a
 * {@code redirect} answers itself and has no backends.
 *
 * <pre>
 * routes:
 *   - id: orders
 *     match: {path: /orders/**}
 *     backends: [{upstream: orders-v1, weight: 90}, {upstream: orders-v2, weight: 10}]
 *     canary: {stickyOn: cookie:session}
 *     mirrors: [{upstream: orders-v3, percentage: 5}]
 *     retries: {attempts: 2, perTryTimeout: 1s, retryOn: [connect-failure, reset, 503]}
 *     timeout: 5s
 *     streamIdleTimeout: 1m
 *     fault: {abort: {percentage: 1, httpStatus: 503}}
 *     rateLimit: {maxTokens: 100, fillInterval: 1s}
 *     requestHeaders: {set: {x-env: prod}, remove: [x-debug]}
 *     responseHeaders: {add: {cache-control: no-store}}
 *     rewrite: {hostname: orders.internal, replaceFullPath: /v2/orders}
 *     cors: {allowOrigins: [https://shop.example.com], allowCredentials: true}
 *     authentication: {jwt: {providers: [idp]}, apiKey: {fromHeader: x-api-key}}
 *     extAuthz: {uri: http://authz.internal:9000/check, headersToUpstreamOnAllow: [x-user-id]}
 * </pre>
 *
 * @param backends the weighted upstreams (or shares answered with a status, {@link Backend});
 * at least one, except with {@code redirect}: none
 * @param canary stickiness and override header of the split; default: no stickiness, no
 * override (a request never chooses its backend)
 * @param mirrors upstreams receiving copies of a share of the requests; default none
 * @param retries retry policy; default: no retries
 * @param timeout the longest the route may take to produce response headers, retries
 * included; default: the gateway's response timeout
 * @param streamIdleTimeout declares the route streaming (long gRPC streams, server-sent events):
 * its {@code timeout} then bounds only the time to the response headers and no longer caps a
 * gRPC call's deadline, and the exchange ends when nothing passes either way (a request or
 * response body chunk) for this long; &gt; 0, at most 24h; default none: not streaming
 * @param fault injected delays and aborts; default none
 * @param rateLimit a token bucket per client; default: no limit
 * @param requestHeaders headers set, added or removed on the request to the upstream; default none
 * @param responseHeaders headers set, added or removed on the response to the client; default none
 * @param rewrite Host and path the upstream receives; default: unchanged
 * @param redirect answer with a redirect instead of calling an upstream; not with backends,
 * {@code rewrite}, {@code mirrors} or {@code retries}; default none
 * @param cors cross-origin resource sharing for browsers: preflights answered by the gateway,
 * allowed origins on the responses; default none (preflights are not answered for the route)
 * @param authentication the credentials the route requires (a JWT of named providers, an API
 * key of a consumer); default none: the route is open
 * @param extAuthz an external authorization service asked before each request goes on (Istio's
 * CUSTOM action); default none
 * @param rolloutState where the route's rollout ({@code canary.rollout}) stands: written by
 * Meshgate's rollout decider and the admin API's rollout actions, each change a version;
 * default none: not started (the decider starts it); dropped without {@code canary.rollout}
 */
public record Route(@Example("orders") String id, RouteMatch match, List<Backend> backends, CanaryPolicy canary,
		List<MirrorPolicy> mirrors, RetryPolicy retries, @Example("5s") Duration timeout,
		@Example("1m") Duration streamIdleTimeout, FaultPolicy fault,
		RateLimitPolicy rateLimit, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
		RewritePolicy rewrite, RedirectPolicy redirect, CorsPolicy cors,
		AuthenticationPolicy authentication, ExtAuthzPolicy extAuthz, RolloutState rolloutState) {

	public Route {
		// the id, the match and the backends are checked each on its own: one answer names them all
		FieldErrors errors = new FieldErrors();
		errors.run(() -> ObjectName.require("id", id));
		if (match == null) {
			errors.run(Route::requireMatch);
		}
		backends = backends == null ? List.of() : List.copyOf(backends);
		mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
		Shares shares = new Shares(backends, mirrors, redirect, rewrite, retries);
		errors.run(() -> requireBackends(shares));
		errors.run(() -> requirePrefixType(match, rewrite, redirect));
		canary = canary == null ? CanaryPolicy.DEFAULT : canary;
		if (timeout != null) {
			errors.run(() -> RouteTimeoutGatewayFilterFactory.validate(timeout));
		}
		if (streamIdleTimeout != null) {
			errors.run(() -> StreamIdleTimeoutGatewayFilterFactory.validate(streamIdleTimeout));
		}
		fault = fault == null ? FaultPolicy.NONE : fault;
		rolloutState = canary.rollout() == null ? null : rolloutState;
		if (canary.rollout() != null) {
			RolloutPolicy rollout = canary.rollout();
			RolloutState state = rolloutState;
			List<Backend> split = backends;
			errors.run(() -> requireRolloutBackends(split, rollout, state));
		}
		errors.throwIfAny();
	}

	// One constructor only: Spring Boot binds records through their single constructor.

	/** What a route sends its requests to, checked together: backends, or a redirect without them. */
	private record Shares(List<Backend> backends, List<MirrorPolicy> mirrors, RedirectPolicy redirect,
			RewritePolicy rewrite, RetryPolicy retries) {
	}

	private static void requireMatch() {
		throw new IllegalArgumentException("match: null (expected: at least {path: /...})");
	}

	private static void requireBackends(Shares shares) {
		if (shares.redirect() != null) {
			requireNone("backends", shares.backends().isEmpty() ? null : shares.backends());
			requireNone("rewrite", shares.rewrite());
			requireNone("mirrors", shares.mirrors().isEmpty() ? null : shares.mirrors());
			requireNone("retries", shares.retries());
			return;
		}
		if (shares.backends().isEmpty()) {
			throw new IllegalArgumentException(
					"backends: [] (expected: at least one {upstream: name}, unless the route has a redirect)");
		}
		int sum = shares.backends().stream().mapToInt(Backend::weight).sum();
		if (sum <= 0) {
			throw new IllegalArgumentException("backends: weights sum to " + sum + " (expected: > 0)");
		}
		requireOneBackendPerUpstreamWithHeaders(shares.backends());
	}

	/**
	 * A rollout moves the second backend (the canary) in from the first (the baseline): two
	 * backends of two upstreams, and a step the rollout has.
	 */
	private static void requireRolloutBackends(List<Backend> backends, RolloutPolicy rollout, RolloutState state) {
		if (backends.size() != 2 || backends.get(0).upstream() == null || backends.get(1).upstream() == null
				|| backends.get(0).upstream().equals(backends.get(1).upstream())) {
			throw new IllegalArgumentException("canary.rollout: given with " + backends.size()
					+ " backends (expected: exactly two backends of two upstreams, the baseline first, the canary second)");
		}
		if (state != null && state.step() > rollout.steps().size()) {
			throw new IllegalArgumentException("rolloutState.step: " + state.step() + " (expected: 1-"
					+ rollout.steps().size() + ", one of canary.rollout.steps)");
		}
	}

	/** replacePrefixMatch of a rewrite or redirect reads a PREFIX match only. */
	private static void requirePrefixType(RouteMatch match, RewritePolicy rewrite, RedirectPolicy redirect) {
		if (match == null || match.pathType() == PathType.PREFIX) {
			return;
		}
		if (rewrite != null && rewrite.replacePrefixMatch() != null) {
			throw new IllegalArgumentException("rewrite.replacePrefixMatch: " + rewrite.replacePrefixMatch()
					+ " (expected: only with match.pathType PREFIX, not " + match.pathType() + ")");
		}
		if (redirect != null && redirect.replacePrefixMatch() != null) {
			throw new IllegalArgumentException("redirect.replacePrefixMatch: " + redirect.replacePrefixMatch()
					+ " (expected: only with match.pathType PREFIX, not " + match.pathType() + ")");
		}
	}

	/**
	 * The split names its choice by upstream, so a backend's own headers are only unambiguous
	 * when no other backend of the route has the same upstream.
	 */
	private static void requireOneBackendPerUpstreamWithHeaders(List<Backend> backends) {
		for (int i = 0; i < backends.size(); i++) {
			Backend backend = backends.get(i);
			if (backend.changesHeaders() && backends.stream().filter(b -> backend.target().equals(b.target())).count() > 1) {
				throw new IllegalArgumentException("backends[" + i + "].upstream: " + backend.upstream()
						+ " (expected: no other backend with this upstream when a backend changes headers)");
			}
		}
	}

	/** The value is named by its size, not printed: it is a record, whose text is not what the user wrote. */
	private static void requireNone(String field, Object value) {
		if (value != null) {
			String given = value instanceof List<?> list ? list.size() + " given" : "given";
			throw new IllegalArgumentException(
					field + ": " + given + " (expected: none on a route with a redirect, which answers itself)");
		}
	}

	public static Route of(String id, RouteMatch match, List<Backend> backends) {
		return new Route(id, match, backends, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null);
	}

	public static Route of(String id, String path, Backend... backends) {
		return of(id, RouteMatch.path(path), List.of(backends));
	}

	/** A route that answers every request it matches with {@code redirect}. */
	public static Route redirect(String id, RouteMatch match, RedirectPolicy redirect) {
		return new Route(id, match, null, null, null, null, null, null, null, null, null, null, null, redirect, null,
				null, null, null);
	}

	public Route withCanary(CanaryPolicy canary) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withMirrors(MirrorPolicy... mirrors) {
		return new Route(id, match, backends, canary, List.of(mirrors), retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withRetries(RetryPolicy retries) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withTimeout(Duration timeout) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	/** This route streaming, ended after {@code streamIdleTimeout} with nothing passing either way. */
	public Route withStreamIdleTimeout(Duration streamIdleTimeout) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withFault(FaultPolicy fault) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withRateLimit(RateLimitPolicy rateLimit) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withRequestHeaders(HeaderModifier requestHeaders) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withResponseHeaders(HeaderModifier responseHeaders) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withRewrite(RewritePolicy rewrite) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withCors(CorsPolicy cors) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withAuthentication(AuthenticationPolicy authentication) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withExtAuthz(ExtAuthzPolicy extAuthz) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	public Route withBackends(List<Backend> backends) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	/** This route with its rollout standing at {@code rolloutState}. */
	public Route withRolloutState(RolloutState rolloutState) {
		return new Route(id, match, backends, canary, mirrors, retries, timeout, streamIdleTimeout, fault, rateLimit,
				requestHeaders, responseHeaders, rewrite, redirect, cors, authentication, extAuthz, rolloutState);
	}

	/** This route answering with {@code redirect}: its backends are dropped. */
	public Route withRedirect(RedirectPolicy redirect) {
		return new Route(id, match, redirect == null ? backends : List.of(), canary, mirrors, retries, timeout,
				streamIdleTimeout, fault, rateLimit, requestHeaders, responseHeaders, rewrite, redirect, cors,
				authentication, extAuthz, rolloutState);
	}

}
