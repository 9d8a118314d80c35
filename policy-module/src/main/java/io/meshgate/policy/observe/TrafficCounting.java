package io.meshgate.policy.observe;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Counts the body bytes of every request and response, around the whole of WebFlux: error
 * answers written by exception handlers are counted too. The counts travel with the response
 * object, where {@link #of(ServerHttpResponse)} finds them.
 */
public final class TrafficCounting implements HttpHandlerDecoratorFactory {

	/**
	 * Body bytes received and sent for one exchange: two fields updated atomically, one object per
	 * exchange (not one per count).
	 */
	public static final class Traffic {

		private static final AtomicLongFieldUpdater<Traffic> IN = AtomicLongFieldUpdater.newUpdater(Traffic.class, "in");

		private static final AtomicLongFieldUpdater<Traffic> OUT = AtomicLongFieldUpdater.newUpdater(Traffic.class,
				"out");

		private volatile long in;

		private volatile long out;

		public long bytesIn() {
			return in;
		}

		public long bytesOut() {
			return out;
		}

		void received(int bytes) {
			IN.addAndGet(this, bytes);
		}

		void sent(int bytes) {
			OUT.addAndGet(this, bytes);
		}

	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			Traffic traffic = new Traffic();
			return handler.handle(new CountingRequest(request, traffic), new CountingResponse(response, traffic));
		};
	}

	/** The counts of the exchange whose response this is, or {@code null} when it was not counted. */
	public static Traffic of(ServerHttpResponse response) {
		for (ServerHttpResponse r = response; r != null;) {
			if (r instanceof CountingResponse counting) {
				return counting.traffic;
			}
			r = r instanceof ServerHttpResponseDecorator decorator ? decorator.getDelegate() : null;
		}
		return null;
	}

	private static final class CountingRequest extends ServerHttpRequestDecorator {

		private final Traffic traffic;

		CountingRequest(ServerHttpRequest delegate, Traffic traffic) {
			super(delegate);
			this.traffic = traffic;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return super.getBody().doOnNext(buffer -> traffic.received(buffer.readableByteCount()));
		}

	}

	private static final class CountingResponse extends ServerHttpResponseDecorator {

		private final Traffic traffic;

		CountingResponse(ServerHttpResponse delegate, Traffic traffic) {
			super(delegate);
			this.traffic = traffic;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			// A single buffer stays a Mono: the server then sends headers and body in one write.
			return super.writeWith(body instanceof Mono<? extends DataBuffer> one ? one.doOnNext(this::count)
					: Flux.from(body).doOnNext(this::count));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return super.writeAndFlushWith(Flux.from(body).map(part -> Flux.from(part).doOnNext(this::count)));
		}

		private void count(DataBuffer buffer) {
			traffic.sent(buffer.readableByteCount());
		}

	}

}
