package io.meshgate.policy.mirror;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.observe.MirrorTracing;
import io.meshgate.policy.timeout.Timeouts;

/**
 * Copies a share of a route's requests to another upstream, fire and forget:
 *
 * <pre>
 * filters:
 *   - RequestMirror=orders-v3, 5.0
 *   - name: RequestMirror
 *     args: {upstream: orders-v3, percentage: 5.0, maxBodySize: 64KB, maxConcurrent: 64, timeout: 5s}
 * </pre>
 *
 * The copy has the same method, path, query, headers and body; its {@code Host} gets
 * {@code -shadow} appended and it carries {@code x-meshgate-shadow: true}. The client's response
 * never waits for the copy: a request without a body is copied at once, one with a body as the
 * primary reads it (the bytes are teed, not buffered ahead). Counted in
 * {@code meshgate.mirror.requests{route, mirror, outcome}} with outcome {@code mirrored},
 * {@code failed}, {@code dropped} (concurrency cap) or {@code too_large} (body over the limit).
 * With tracing, each copy is a span of its own in the client's trace, marked as shadow and linked
 * to the primary request's span, and the copy carries that span's {@code traceparent}
 * ({@link MirrorTracing}). Spring Cloud Gateway has no mirroring (its issue #1015). The arguments
 * are the fields of {@link MirrorPolicy}.
 */
public class RequestMirrorGatewayFilterFactory extends PolicyFilterFactory<MirrorPolicy> {

	private static final Log log = LogFactory.getLog(RequestMirrorGatewayFilterFactory.class);

	private final MirrorSender sender;

	private final MeterRegistry meters;

	private final RandomGenerator random;

	public RequestMirrorGatewayFilterFactory(MirrorSender sender, MeterRegistry meters, RandomGenerator random) {
		super(MirrorPolicy.class);
		this.sender = sender;
		this.meters = meters;
		this.random = random;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("upstream", "percentage");
	}

	@Override
	public GatewayFilter filter(MirrorPolicy policy, String route) {
		return new OrderedGatewayFilter(
				new MirrorFilter(policy, route, new Outcomes(meters, route, policy.upstream())), PolicyOrder.MIRROR);
	}

	/** The four counters of one route's mirror. */
	record Outcomes(Counter mirrored, Counter failed, Counter dropped, Counter tooLarge) {

		Outcomes(MeterRegistry meters, String route, String mirror) {
			this(counter(meters, route, mirror, "mirrored"), counter(meters, route, mirror, "failed"),
					counter(meters, route, mirror, "dropped"), counter(meters, route, mirror, "too_large"));
		}

		private static Counter counter(MeterRegistry meters, String route, String mirror, String outcome) {
			return Counter.builder("meshgate.mirror.requests")
				.description("Shadow copies of requests, by outcome")
				.tags("route", route, "mirror", mirror, "outcome", outcome)
				.register(meters);
		}

	}

	private final class MirrorFilter implements GatewayFilter {

		private final MirrorPolicy policy;

		private final String route;

		private final Outcomes outcomes;

		private final Semaphore inFlight;

		private final int maxBody;

		MirrorFilter(MirrorPolicy policy, String route, Outcomes outcomes) {
			this.policy = policy;
			this.route = route;
			this.outcomes = outcomes;
			this.inFlight = new Semaphore(policy.maxConcurrent());
			this.maxBody = (int) policy.maxBodySize().toBytes();
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			if (policy.percentage() < 100 && random.nextDouble() * 100 >= policy.percentage()) {
				return chain.filter(exchange);
			}
			ServerHttpRequest request = exchange.getRequest();
			HttpHeaders headers = request.getHeaders();
			long length = headers.getContentLength();
			boolean chunked = headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
			if (length > maxBody) {
				outcomes.tooLarge().increment();
				return chain.filter(exchange);
			}
			if (!inFlight.tryAcquire()) {
				outcomes.dropped().increment();
				return chain.filter(exchange);
			}
			Copy copy = new Copy(MirrorSender.Shadow.of(request), MirrorTracing.primary(exchange),
					Timeouts.expiry(policy.timeout(), exchange));
			exchange.getAttributes().put(ExchangeAttributes.MIRRORED, true);
			if (length <= 0 && !chunked) {
				copy.send(new byte[0]);
				return chain.filter(exchange);
			}
			ServerHttpRequest teed = new ServerHttpRequestDecorator(request) {
				@Override
				public Flux<DataBuffer> getBody() {
					return super.getBody().doOnNext(copy::append).doOnComplete(copy::bodyComplete);
				}
			};
			// a body the primary never read cannot be copied: give the permit back
			return chain.filter(exchange.mutate().request(teed).build()).doFinally(signal -> copy.abandon());
		}

		@Override
		public String toString() {
			return "[RequestMirror upstream = " + policy.upstream() + ", percentage = " + policy.percentage()
					+ ", maxBodySize = " + policy.maxBodySize() + ", maxConcurrent = " + policy.maxConcurrent()
					+ ", timeout = " + policy.timeout() + "]";
		}

		/** One copy: holds a concurrency permit from creation until it is sent or abandoned. */
		private final class Copy {

			private final MirrorSender.Shadow shadow;

			/** The primary request's observation, parent of the copy's (tracing). */
			private final Observation primary;

			/** Emits when the copy has taken too long, on the event loop of the primary's connection. */
			private final Mono<Long> deadline;

			private final AtomicBoolean settled = new AtomicBoolean();

			private ByteArrayOutputStream body = new ByteArrayOutputStream();

			Copy(MirrorSender.Shadow shadow, Observation primary, Mono<Long> deadline) {
				this.shadow = shadow;
				this.primary = primary;
				this.deadline = deadline;
			}

			synchronized void append(DataBuffer buffer) {
				if (body == null) {
					return;
				}
				int readable = buffer.readableByteCount();
				if (body.size() + readable > maxBody) {
					body = null;
					if (settle()) {
						outcomes.tooLarge().increment();
					}
					return;
				}
				byte[] bytes = new byte[readable];
				buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, readable);
				body.writeBytes(bytes);
			}

			synchronized void bodyComplete() {
				if (body != null) {
					send(body.toByteArray());
				}
			}

			void abandon() {
				settle();
			}

			void send(byte[] bytes) {
				if (settled.get()) {
					return;
				}
				sender.send(policy.upstream(), shadow, bytes, deadline, primary, route).doFinally(signal -> settle())
					.subscribe(status -> outcomes.mirrored().increment(), error -> {
						outcomes.failed().increment();
						if (log.isDebugEnabled()) {
							log.debug("Mirror to " + policy.upstream() + " failed: " + error);
						}
					});
			}

			/** Releases the permit exactly once; true for the caller that released it. */
			private boolean settle() {
				if (settled.compareAndSet(false, true)) {
					inFlight.release();
					return true;
				}
				return false;
			}

		}

	}

}
