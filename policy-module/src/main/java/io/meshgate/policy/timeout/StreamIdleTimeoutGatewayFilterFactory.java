package io.meshgate.policy.timeout;

import java.time.Duration;
import java.util.List;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * A route that streams ({@code streamIdleTimeout} on the route): the exchange, response body
 * included, ends with {@link StreamIdleException} when nothing passes in either direction (a
 * request body chunk, a response body chunk) for the idle timeout. Its place
 * ({@link PolicyOrder#STREAM_IDLE}) is outside the response writer, so that it sees the whole
 * stream, and inside the gRPC call, which ends an idle gRPC stream with a status in its trailers.
 * A route with it is a streaming route: its {@code timeout} no longer caps a gRPC call's deadline
 * ({@link #streams}).
 */
public class StreamIdleTimeoutGatewayFilterFactory extends PolicyFilterFactory<StreamIdleTimeoutGatewayFilterFactory.Config> {

	/** The longest idle timeout, as for WebSocket sessions. */
	public static final Duration MAX = Duration.ofHours(24);

	public StreamIdleTimeoutGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("idleTimeout");
	}

	@Override
	public GatewayFilter filter(Config config, String route) {
		return new OrderedGatewayFilter(new StreamIdleFilter(config.idleTimeout()), PolicyOrder.STREAM_IDLE);
	}

	/** Whether {@code route} streams: it has a stream idle timeout. */
	public static boolean streams(org.springframework.cloud.gateway.route.Route route) {
		return filterOf(route, StreamIdleFilter.class) != null;
	}

	/** Throws {@code streamIdleTimeout: value (expected: …)} unless it is positive and at most 24h. */
	public static Duration validate(Duration idleTimeout) {
		if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.compareTo(MAX) > 0) {
			throw new IllegalArgumentException(
					"streamIdleTimeout: " + idleTimeout + " (expected: > 0 and at most 24h, as in 1m)");
		}
		return idleTimeout;
	}

	/** @param idleTimeout how long a stream may pass nothing either way; required, > 0, at most 24h */
	public record Config(Duration idleTimeout) {

		public Config {
			validate(idleTimeout);
		}

	}

	static final class StreamIdleFilter implements GatewayFilter {

		private final Duration idleTimeout;

		StreamIdleFilter(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			Activity activity = new Activity();
			ServerWebExchange watched = exchange.mutate()
				.request(new ServerHttpRequestDecorator(exchange.getRequest()) {
					@Override
					public Flux<DataBuffer> getBody() {
						return super.getBody().doOnNext(activity);
					}
				})
				.response(new ServerHttpResponseDecorator(exchange.getResponse()) {
					@Override
					public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
						return super.writeWith(Flux.from(body).doOnNext(activity));
					}

					@Override
					public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
						return super.writeAndFlushWith(Flux.from(body).map(chunk -> Flux.from(chunk).doOnNext(activity)));
					}
				})
				.build();
			return chain.filter(watched)
				.timeout(Timeouts.idleExpiry(idleTimeout, exchange, activity::last), Mono.error(StreamIdleException::new));
		}

		@Override
		public String toString() {
			return "[StreamIdleTimeout " + idleTimeout + "]";
		}

	}

	/**
	 * When a chunk last passed either way ({@link System#nanoTime}). One volatile write per chunk:
	 * the idle timer reads it only when it fires, and re-arms for what is left.
	 */
	private static final class Activity implements java.util.function.Consumer<DataBuffer> {

		private volatile long last = System.nanoTime();

		@Override
		public void accept(DataBuffer chunk) {
			last = System.nanoTime();
		}

		long last() {
			return last;
		}

	}

	/** Nothing passed either way for the route's stream idle timeout; stackless, it carries nothing of the call. */
	public static final class StreamIdleException extends RuntimeException {

		StreamIdleException() {
			super("stream idle timeout", null, false, false);
		}

	}

}
