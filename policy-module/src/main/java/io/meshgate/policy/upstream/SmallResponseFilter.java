package io.meshgate.policy.upstream;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;

/**
 * Sends a small upstream response to the client in one write: status line, headers and body in
 * one packet. Spring Cloud Gateway streams every upstream body, and Reactor Netty then flushes the
 * headers on their own before the body: two sends, and two wake-ups of the client, for a response
 * that arrived in one. A body whose {@code Content-Length} is known and at most {@code limit}
 * bytes ({@value #LIMIT_PROPERTY}, 16KB by default) is read whole first, as nginx buffers
 * proxied responses; anything larger, or of unknown length (chunked, {@code text/event-stream}),
 * is passed on as it comes.
 */
public final class SmallResponseFilter implements GlobalFilter, Ordered {

	/** Held whole per request in flight: larger bodies belong streamed. */
	private static final DataSize MAX_LIMIT = DataSize.ofMegabytes(1);

	/** The largest body sent in one write; {@code 0} streams every body. */
	public static final String LIMIT_PROPERTY = "meshgate.response-buffering.max-size";

	public static final DataSize DEFAULT_LIMIT = DataSize.ofKilobytes(16);

	private final int limit;

	public SmallResponseFilter(DataSize limit) {
		if (limit.isNegative() || limit.toBytes() > MAX_LIMIT.toBytes()) {
			throw new IllegalArgumentException(
					LIMIT_PROPERTY + ": " + limit + " (expected: from 0B to " + MAX_LIMIT + ")");
		}
		this.limit = (int) limit.toBytes();
	}

	@Override
	public int getOrder() {
		return PolicyOrder.SMALL_RESPONSE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (limit == 0) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().response(new OneWrite(exchange.getResponse(), limit)).build());
	}

	private static final class OneWrite extends ServerHttpResponseDecorator {

		private final int limit;

		OneWrite(ServerHttpResponse delegate, int limit) {
			super(delegate);
			this.limit = limit;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			long length = getHeaders().getContentLength();
			if (body instanceof Mono || length < 0 || length > limit) {
				return super.writeWith(body);
			}
			return super.writeWith(DataBufferUtils.join(body, limit));
		}

	}

}
