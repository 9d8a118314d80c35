package io.meshgate.policy.timeout;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * Timeouts that leave a mark on the exchange before they cancel the call, so that the circuit
 * breaker can tell a call the gateway gave up on (a failure of the upstream) from a client that
 * went away (not its fault): both arrive as a plain cancellation.
 */
public final class Timeouts {

	private Timeouts() {
	}

	/** {@code call}, failed with {@code error} when it does not complete within {@code timeout}. */
	public static Mono<Void> within(Mono<Void> call, Duration timeout, ServerWebExchange exchange,
			Supplier<? extends Throwable> error) {
		Mono<Long> expiry = expiry(timeout, exchange)
			.doOnNext(tick -> exchange.getAttributes().put(ExchangeAttributes.TIMED_OUT, true));
		return call.timeout(expiry, Mono.error(error));
	}

	/**
	 * Emits once {@code timeout} has passed, on a timer of the event loop that serves the
	 * exchange. Reactor's own timers ({@code Mono.delay}, {@code timeout(Duration)}) run on its
	 * parallel scheduler: arming and cancelling one for every request woke that thread about twice
	 * per request. A timer armed and cancelled on the event loop's own thread wakes nobody.
	 * Without a Netty connection under the exchange, it falls back to Reactor's timer.
	 */
	public static Mono<Long> expiry(Duration timeout, ServerWebExchange exchange) {
		EventLoop loop = eventLoop(exchange.getRequest());
		if (loop == null) {
			return Mono.delay(timeout);
		}
		return Mono.create(sink -> {
			ScheduledFuture<?> timer = loop.schedule(() -> sink.success(0L), timeout.toNanos(), TimeUnit.NANOSECONDS);
			sink.onCancel(() -> timer.cancel(false));
		});
	}

	/**
	 * Emits once {@code idle} has passed since {@code lastActivity} ({@link System#nanoTime}),
	 * which may move on meanwhile: one timer per idle period, re-armed for what is left when it
	 * finds activity since it was armed, so that activity itself arms nothing.
	 */
	public static Mono<Long> idleExpiry(Duration idle, ServerWebExchange exchange, LongSupplier lastActivity) {
		long idleNanos = idle.toNanos();
		return Mono.defer(() -> {
			long left = lastActivity.getAsLong() + idleNanos - System.nanoTime();
			return left <= 0 ? Mono.just(0L) : expiry(Duration.ofNanos(left), exchange).then(Mono.<Long>empty());
		}).repeatWhenEmpty(Integer.MAX_VALUE, repeats -> repeats);
	}

	private static EventLoop eventLoop(ServerHttpRequest request) {
		try {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			return nativeRequest instanceof Connection connection ? connection.channel().eventLoop() : null;
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return null; // a request of some other server, or a mock
		}
	}

	public static boolean timedOut(ServerWebExchange exchange) {
		return Boolean.TRUE.equals(exchange.getAttribute(ExchangeAttributes.TIMED_OUT));
	}

}
