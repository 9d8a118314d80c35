import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerEvent;
import io.github.resilience4j.consumer.CircularEventConsumer;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What a resilience4j breaker allocates and costs per recorded call, by the event consumers it
 * carries: none (Meshgate's breakers), a transition consumer only, and what resilience4j's Spring
 * Boot integration gives every breaker of its registry (a 100-event buffer for
 * {@code /actuator/circuitbreakerevents} and Micrometer call timers) beside a transition consumer.
 * One thread, {@code tryAcquirePermission} and {@code onSuccess} two million times per kind, three
 * rounds (read the last: the earlier ones include compilation).
 *
 * <pre>
 * java -cp 'extracted/lib/*' bench/BreakerEventProbe.java
 * </pre>
 */
public final class BreakerEventProbe {

	public static void main(String[] args) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		int calls = 2_000_000;
		for (int round = 1; round <= 3; round++) {
			for (String kind : new String[] { "none", "transitions", "spring-registry" }) {
				CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
				if (kind.equals("spring-registry")) {
					registry.getEventPublisher()
						.onEntryAdded(added -> added.getAddedEntry()
							.getEventPublisher()
							.onEvent(new CircularEventConsumer<CircuitBreakerEvent>(100)));
					TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(new SimpleMeterRegistry());
				}
				CircuitBreaker breaker = registry.circuitBreaker("probe-" + kind);
				if (!kind.equals("none")) {
					breaker.getEventPublisher().onStateTransition(transition -> {
					});
				}
				long bytes = threads.getCurrentThreadAllocatedBytes();
				long start = System.nanoTime();
				for (int i = 0; i < calls; i++) {
					breaker.tryAcquirePermission();
					breaker.onSuccess(1_000, TimeUnit.NANOSECONDS);
				}
				long nanos = System.nanoTime() - start;
				bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
				System.out.printf("round %d %-16s %6.1f bytes/call %6.1f ns/call%n", round, kind,
						bytes / (double) calls, nanos / (double) calls);
			}
		}
	}

}
