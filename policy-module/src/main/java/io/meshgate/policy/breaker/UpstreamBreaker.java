package io.meshgate.policy.breaker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
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
 * call cancelled by the gateway's timeout count as failures. Transitions are logged once each. The
 * breaker is registered under the upstream's name in the shared {@link CircuitBreakerRegistry}
 * (which {@code /actuator/circuitbreakers} lists) and replaced when the upstream's policy changes.
 */
public final class UpstreamBreaker implements AutoCloseable {

	private static final Log log = LogFactory.getLog(UpstreamBreaker.class);

	private final String upstream;

	private final CircuitBreakerPolicy policy;

	private final CircuitBreakerRegistry registry;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final LongSupplier nanoClock;

	private volatile long openedAtNanos;

	public UpstreamBreaker(String upstream, CircuitBreakerPolicy policy, CircuitBreakerRegistry registry,
			LongSupplier nanoClock) {
		this.upstream = upstream;
		this.policy = policy;
		this.registry = registry;
		this.nanoClock = nanoClock;
		CircuitBreakerConfig config = policy.toConfig();
		// a changed policy replaces the upstream's breaker; the old one serves until its runtime retires
		registry.remove(upstream);
		this.breaker = registry.circuitBreaker(upstream, config);
		this.bulkhead = policy.maxConcurrentRequests() == null ? null
				: Bulkhead.of(upstream, BulkheadConfig.custom()
					.maxConcurrentCalls(policy.maxConcurrentRequests())
					.maxWaitDuration(Duration.ZERO)
					.build());
		breaker.getEventPublisher().onStateTransition(event -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
				openedAtNanos = nanoClock.getAsLong();
			}
			CircuitBreaker.Metrics metrics = breaker.getMetrics();
			log.warn("Circuit breaker of upstream " + upstream + ": " + event.getStateTransition().getFromState()
					+ " -> " + event.getStateTransition().getToState() + " (failure rate " + metrics.getFailureRate()
					+ "%, slow call rate " + metrics.getSlowCallRate() + "%)");
		});
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
			if (!breaker.tryAcquirePermission()) {
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

	@Override
	public void close() {
		registry.find(upstream).filter(current -> current == breaker).ifPresent(current -> registry.remove(upstream));
	}

}
