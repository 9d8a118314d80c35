package io.meshgate.policy.breaker;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;

/**
 * A breaker's state transitions, seen by reading its state after each permission asked and each
 * outcome recorded, instead of through resilience4j's event publisher: a breaker with any event
 * consumer builds an event (with a {@code ZonedDateTime.now()}) for every call it records, and
 * Meshgate's breakers carry none. Every transition of a breaker used this way is made by one of
 * those calls (an open breaker half-opens when it is next asked), so {@link #observe()} right
 * after each of them sees it; transitions that concurrent calls make within that instant are
 * reported as one, from the state last seen to the state now.
 */
public final class BreakerTransitions {

	private final CircuitBreaker breaker;

	private final BiConsumer<State, State> onTransition;

	private final AtomicReference<State> seen;

	/**
	 * @param onTransition called once per transition seen, with the state before and after, on the
	 * thread that saw it
	 */
	public BreakerTransitions(CircuitBreaker breaker, BiConsumer<State, State> onTransition) {
		this.breaker = breaker;
		this.onTransition = onTransition;
		this.seen = new AtomicReference<>(breaker.getState());
	}

	/** Reports a transition since the last call, if there was one: two reads when there was not. */
	public void observe() {
		State now = breaker.getState();
		State before = seen.get();
		if (now != before && seen.compareAndSet(before, now)) {
			onTransition.accept(before, now);
		}
	}

}
