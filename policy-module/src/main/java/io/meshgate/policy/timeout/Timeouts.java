package io.meshgate.policy.timeout;

import java.time.Duration;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Timeouts that leave a mark on the exchange before they cancel the call, so that the circuit
 * breaker can tell a call the gateway gave up on (a failure of the upstream) from a client that
 * went away (not its fault): both arrive as a plain cancellation.
 */
public final class Timeouts {

	/** Exchange attribute set when a route or per-try timeout fired. */
	public static final String TIMED_OUT_ATTR = Timeouts.class.getName() + ".timedOut";

	private Timeouts() {
	}

	/** {@code call}, failed with {@code error} when it does not complete within {@code timeout}. */
	public static Mono<Void> within(Mono<Void> call, Duration timeout, ServerWebExchange exchange,
			Supplier<? extends Throwable> error) {
		Mono<Long> expiry = Mono.delay(timeout).doOnNext(tick -> exchange.getAttributes().put(TIMED_OUT_ATTR, true));
		return call.timeout(expiry, Mono.error(error));
	}

	public static boolean timedOut(ServerWebExchange exchange) {
		return Boolean.TRUE.equals(exchange.getAttribute(TIMED_OUT_ATTR));
	}

}
