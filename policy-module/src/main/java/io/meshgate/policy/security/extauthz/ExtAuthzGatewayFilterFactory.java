package io.meshgate.policy.security.extauthz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.breaker.BreakerTransitions;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.error.ErrorTexts;
import io.meshgate.policy.timeout.Timeouts;
import io.meshgate.policy.tls.UpstreamTlsFactory;

/**
 * External authorization of a route's requests by an HTTP auth service (Envoy's {@code ext_authz}
 * HTTP mode, Istio's {@code CUSTOM} action), after authentication and before authorization
 * policies ({@link PolicyOrder#EXT_AUTHZ}):
 *
 * <pre>
 * filters:
 *   - name: ExtAuthz
 *     args: {uri: "http://authz.internal:9000/check", timeout: 200ms, failOpen: false,
 *            includeRequestHeadersInCheck: "authorization,cookie", headersToUpstreamOnAllow: x-user-id}
 * </pre>
 *
 * The arguments are the fields of {@link ExtAuthzPolicy}, which says what is sent and how answers
 * decide. A kept decision ({@link DecisionCache}) answers without a call. Calls go through the
 * route's own circuit breaker (resilience4j, configured by {@code circuitBreaker} as an upstream's
 * is) and a pool of connections of their own ({@code meshgate-ext-authz}), so that checks never
 * take connections the upstreams need. Counted in {@code meshgate.extauthz.decisions},
 * {@code meshgate.extauthz.failures} and {@code meshgate.extauthz.duration}.
 */
public class ExtAuthzGatewayFilterFactory extends PolicyFilterFactory<ExtAuthzPolicy> implements AutoCloseable {

	private static final Log log = LogFactory.getLog(ExtAuthzGatewayFilterFactory.class);

	private final MeterRegistry meters;

	private final LongSupplier nanoClock;

	private final ConnectionProvider pool;

	private final UpstreamTlsFactory tls;

	/** @param tls secures the clients of auth services with {@code tls} as it does upstreams' */
	public ExtAuthzGatewayFilterFactory(MeterRegistry meters, LongSupplier nanoClock, UpstreamTlsFactory tls) {
		super(ExtAuthzPolicy.class);
		this.meters = meters;
		this.nanoClock = nanoClock;
		this.tls = tls;
		this.pool = ConnectionProvider.builder("meshgate-ext-authz")
			.maxConnections(1024)
			.pendingAcquireMaxCount(4096)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("uri");
	}

	@Override
	public GatewayFilter filter(ExtAuthzPolicy policy, String route) {
		return new OrderedGatewayFilter(new ExtAuthzFilter(policy, route), PolicyOrder.EXT_AUTHZ);
	}

	/** The external authorization {@code route}'s filter runs; {@code null} without one. */
	public static ExtAuthzPolicy policyOf(Route route) {
		ExtAuthzFilter filter = filterOf(route, ExtAuthzFilter.class);
		return filter == null ? null : filter.policy;
	}

	@Override
	public void close() {
		pool.disposeLater().block(Duration.ofSeconds(5));
	}

	private final class ExtAuthzFilter implements GatewayFilter {

		private final ExtAuthzPolicy policy;

		private final AuthServiceClient client;

		private final DecisionCache cache;

		private final CircuitBreaker breaker;

		private final Bulkhead bulkhead;

		private final ExtAuthzMetrics metrics;

		private final BreakerTransitions transitions;

		ExtAuthzFilter(ExtAuthzPolicy policy, String route) {
			this.policy = policy;
			String name = "ext-authz:" + route;
			this.client = new AuthServiceClient(policy, pool, http -> tls.secure(name, policy.tls(), http));
			this.cache = policy.cache().enabled() ? new DecisionCache(policy.cache(), nanoClock) : null;
			// the route's own breaker, not in the shared registry: it lives and goes with this filter
			this.breaker = CircuitBreaker.of(name, policy.circuitBreaker().toConfig());
			Integer cap = policy.circuitBreaker().maxConcurrentRequests();
			this.bulkhead = cap == null ? null
					: Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(cap).maxWaitDuration(Duration.ZERO).build());
			this.metrics = new ExtAuthzMetrics(meters, route);
			this.transitions = new BreakerTransitions(breaker,
					(from, to) -> log.warn("Circuit breaker of the external authorization service of route " + route
							+ ": " + from + " -> " + to + " (failure rate " + breaker.getMetrics().getFailureRate()
							+ "%)"));
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			CheckRequest check = CheckRequest.of(exchange, policy.includeRequestHeadersInCheck());
			DecisionCache.Key key = cache == null ? null : DecisionCache.keyOf(check);
			Decision kept = key == null ? null : cache.get(key);
			if (kept != null) {
				metrics.decided(kept, true);
				return apply(kept, exchange, chain);
			}
			return call(check, exchange).flatMap(outcome -> {
				if (outcome instanceof AuthServiceClient.Answer answer) {
					if (key != null) {
						cache.put(key, answer.decision(), answer.cacheControl());
					}
					metrics.decided(answer.decision(), false);
					return apply(answer.decision(), exchange, chain);
				}
				Failure failure = (Failure) outcome;
				metrics.failed(failure, policy.failOpen());
				if (policy.failOpen()) {
					return apply(Decision.ALLOW, exchange, chain);
				}
				HttpStatusCode status = HttpStatusCode.valueOf(policy.statusOnError());
				return ErrorResponses.write(exchange, status, ErrorTexts.of(status), Map.of());
			});
		}

		/**
		 * The call through the concurrency cap and the breaker, with resilience4j's own permission
		 * and recording calls (as an upstream's breaker does): a failure of the auth service counts
		 * against it, a decision for it; a call cancelled because the client left is not counted.
		 */
		private Mono<Outcome> call(CheckRequest check, ServerWebExchange exchange) {
			return Mono.defer(() -> {
				if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
					return Mono.just(Failure.CONCURRENCY_LIMIT);
				}
				boolean permitted = breaker.tryAcquirePermission();
				transitions.observe();
				if (!permitted) {
					if (bulkhead != null) {
						bulkhead.onComplete();
					}
					return Mono.just(Failure.BREAKER_OPEN);
				}
				long start = nanoClock.getAsLong();
				AtomicBoolean recorded = new AtomicBoolean();
				return client.check(check, Timeouts.expiry(policy.timeout(), exchange)).doOnNext(outcome -> {
					if (recorded.compareAndSet(false, true)) {
						long took = nanoClock.getAsLong() - start;
						metrics.called(outcome, took);
						if (outcome instanceof Failure failure) {
							breaker.onError(took, TimeUnit.NANOSECONDS, failure.error());
						}
						else {
							breaker.onSuccess(took, TimeUnit.NANOSECONDS);
						}
						transitions.observe();
					}
				}).doOnCancel(() -> {
					if (recorded.compareAndSet(false, true)) {
						breaker.releasePermission();
					}
				}).doFinally(signal -> {
					if (bulkhead != null) {
						bulkhead.onComplete();
					}
				});
			});
		}

		private Mono<Void> apply(Decision decision, ServerWebExchange exchange, GatewayFilterChain chain) {
			if (!decision.downstreamHeaders().isEmpty()) {
				HttpHeaders response = exchange.getResponse().getHeaders();
				if (decision.allowed()) {
					exchange.getResponse().beforeCommit(() -> {
						setAll(exchange.getResponse().getHeaders(), decision.downstreamHeaders());
						return Mono.empty();
					});
				}
				else {
					setAll(response, decision.downstreamHeaders());
				}
			}
			if (!decision.allowed()) {
				return deny(decision, exchange);
			}
			List<String> owned = policy.headersToUpstreamOnAllow();
			if (owned.isEmpty() || decision.upstreamHeaders().isEmpty() && !sentAny(exchange.getRequest(), owned)) {
				return chain.filter(exchange);
			}
			// the auth service owns these names: what the client sent of them never reaches the upstream
			ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> {
				owned.forEach(headers::remove);
				decision.upstreamHeaders().forEach(header -> headers.add(header.getKey(), header.getValue()));
			}).build();
			return chain.filter(exchange.mutate().request(request).build());
		}

		private Mono<Void> deny(Decision decision, ServerWebExchange exchange) {
			HttpStatusCode status = HttpStatusCode.valueOf(decision.status());
			if (policy.includeBodyOnDeny() && decision.body().length > 0) {
				return ErrorResponses.write(exchange, status, mediaType(decision.contentType()), decision.body());
			}
			return ErrorResponses.write(exchange, status, ErrorTexts.of(status), Map.of());
		}

		@Override
		public String toString() {
			return "[ExtAuthz " + policy + "]";
		}

	}

	private static boolean sentAny(ServerHttpRequest request, List<String> names) {
		HttpHeaders headers = request.getHeaders();
		for (String name : names) {
			if (headers.containsHeader(name)) {
				return true;
			}
		}
		return false;
	}

	/** Sets each name to its values in {@code headers}: the answer's values replace the response's. */
	private static void setAll(HttpHeaders target, List<Map.Entry<String, String>> headers) {
		for (Map.Entry<String, String> header : headers) {
			target.remove(header.getKey());
		}
		for (Map.Entry<String, String> header : headers) {
			target.add(header.getKey(), header.getValue());
		}
	}

	private static MediaType mediaType(String contentType) {
		if (contentType == null) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
	}

}
