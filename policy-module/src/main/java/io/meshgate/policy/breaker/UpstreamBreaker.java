package io.meshgate.policy.breaker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.error.UpstreamUnavailableException;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.timeout.Timeouts;

/**
 * One upstream's resilience4j circuit breaker and bulkhead. A 5xx answer, a gRPC answer with
 * {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED} or {@code INTERNAL}, a connection failure and a
 * call cancelled by the gateway's timeout count as failures. Transitions are logged once each.
 * The breaker is the upstream's own, replaced when the upstream's policy changes, and carries no
 * event consumer, so recording a call builds no event object ({@link BreakerTransitions}); it is
 * not put in resilience4j's {@code CircuitBreakerRegistry}, whose Spring Boot integration gives
 * every breaker it holds an event buffer and call timers that would be fed on every call. Its
 * state and rates are in {@code /actuator/mesh} and {@code meshgate.circuitbreaker.state}.
 */
public final class UpstreamBreaker {

	private static final Log log = LogFactory.getLog(UpstreamBreaker.class);

	private final String upstream;

	private final CircuitBreakerPolicy policy;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final LongSupplier nanoClock;

	private final BreakerTransitions transitions;

	private volatile long openedAtNanos;

	public UpstreamBreaker(String upstream, CircuitBreakerPolicy policy, LongSupplier nanoClock) {
		this.upstream = upstream;
		this.policy = policy;
		this.nanoClock = nanoClock;
		this.breaker = CircuitBreaker.of(upstream, policy.toConfig());
		this.bulkhead = policy.maxConcurrentRequests() == null ? null
				: Bulkhead.of(upstream, BulkheadConfig.custom()
					.maxConcurrentCalls(policy.maxConcurrentRequests())
					.maxWaitDuration(Duration.ZERO)
					.build());
		this.transitions = new BreakerTransitions(breaker, this::transitioned);
	}

	private void transitioned(CircuitBreaker.State from, CircuitBreaker.State to) {
		if (to == CircuitBreaker.State.OPEN) {
			openedAtNanos = nanoClock.getAsLong();
		}
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		log.warn("Circuit breaker of upstream " + upstream + ": " + from + " -> " + to + " (failure rate "
				+ metrics.getFailureRate() + "%, slow call rate " + metrics.getSlowCallRate() + "%)");
	}

	/**
	 * Runs {@code call} through the bulkhead and the breaker, with resilience4j's own permission
	 * and recording calls. Its Reactor operator is not used because it releases the permission of
	 * a cancelled call without recording it, and a call cancelled by the route's timeout is
	 * exactly the failure a hanging upstream produces. A call that completes with a 5xx status on
	 * {@code exchange} counts as a failure; one cancelled counts as a failure when the gateway's
	 * own timeout cancelled it ({@link Timeouts#timedOut}), and not at all when the client left.
	 */
	public Mono<Void> guard(Mono<Void> call, ServerWebExchange exchange) {
		return Mono.defer(() -> {
			if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
				return Mono.error(new UpstreamUnavailableException(upstream, "FULL",
						"is at its limit of " + policy.maxConcurrentRequests() + " concurrent requests", 1));
			}
			boolean permitted = breaker.tryAcquirePermission();
			transitions.observe();
			if (!permitted) {
				if (bulkhead != null) {
					bulkhead.onComplete();
				}
				// refused: it was open or half-open full an instant ago, whatever it reads now
				String state = breaker.getState() == CircuitBreaker.State.HALF_OPEN ? "HALF_OPEN" : "OPEN";
				return Mono.error(new UpstreamUnavailableException(upstream, state,
						"is unavailable: its circuit breaker is " + state, retryAfterSeconds()));
			}
			long start = nanoClock.getAsLong();
			AtomicBoolean recorded = new AtomicBoolean();
			return call.doOnSuccess(done -> {
				if (recorded.compareAndSet(false, true)) {
					// time to the response headers: a long gRPC stream is not a slow call
					long duration = nanoClock.getAsLong() - start;
					GrpcCall grpc = GrpcCall.of(exchange);
					if (grpc != null) {
						grpc.whenSettled(exchange, outcome -> record(outcome, duration));
					}
					else {
						HttpStatusCode status = exchange.getResponse().getStatusCode();
						record(status == null ? 200 : status.value(), duration);
					}
				}
			}).doOnError(error -> {
				if (recorded.compareAndSet(false, true)) {
					breaker.onError(nanoClock.getAsLong() - start, TimeUnit.NANOSECONDS, error);
					transitions.observe();
				}
			}).doOnCancel(() -> {
				if (recorded.compareAndSet(false, true)) {
					if (Timeouts.timedOut(exchange)) {
						breaker.onError(nanoClock.getAsLong() - start, TimeUnit.NANOSECONDS,
								new TimeoutException("the gateway's timeout cancelled the call"));
					}
					else {
						breaker.releasePermission();
					}
					transitions.observe();
				}
			}).doFinally(signal -> {
				if (bulkhead != null) {
					bulkhead.onComplete();
				}
			});
		});
	}

	/**
	 * Records a call's outcome: a 5xx (a gRPC {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED} or
	 * {@code INTERNAL} counts as one) or no answer (0) is a failure, a client gone
	 * ({@link GrpcCall#UNCOUNTED}) counts for nothing.
	 */
	private void record(int outcome, long durationNanos) {
		if (outcome == GrpcCall.UNCOUNTED) {
			breaker.releasePermission();
		}
		else if (outcome == 0 || outcome >= 500) {
			breaker.onError(durationNanos, TimeUnit.NANOSECONDS, ServerErrorAnswer.INSTANCE);
		}
		else {
			breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
		}
		transitions.observe();
	}

	/** Seconds until the open breaker lets a probe through, at least 1. */
	long retryAfterSeconds() {
		long remaining = policy.waitDurationInOpenState().toNanos() - (nanoClock.getAsLong() - openedAtNanos);
		return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
	}

	public CircuitBreaker circuitBreaker() {
		return breaker;
	}

	/** The concurrency cap, or {@code null} without {@code maxConcurrentRequests}. */
	public Bulkhead bulkhead() {
		return bulkhead;
	}

	public CircuitBreakerPolicy policy() {
		return policy;
	}

}
