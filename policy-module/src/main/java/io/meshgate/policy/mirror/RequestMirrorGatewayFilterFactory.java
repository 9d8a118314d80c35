package io.meshgate.policy.mirror;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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
import io.meshgate.policy.mirror.compare.Answer;
import io.meshgate.policy.mirror.compare.ComparePolicy;
import io.meshgate.policy.mirror.compare.ResponseDiff;
import io.meshgate.policy.mirror.compare.ShadowComparisons;
import io.meshgate.policy.observe.MirrorRecording;
import io.meshgate.policy.observe.ServerTrace;
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
 * ({@link MirrorRecording}). Spring Cloud Gateway has no mirroring (its issue #1015). The arguments
 * are the fields of {@link MirrorPolicy}.
 */
public class RequestMirrorGatewayFilterFactory extends PolicyFilterFactory<MirrorPolicy> {

	private static final Log log = LogFactory.getLog(RequestMirrorGatewayFilterFactory.class);

	private final MirrorSender sender;

	private final MeterRegistry meters;

	private final RandomGenerator random;

	private final MirrorComparisons comparisons;

	public RequestMirrorGatewayFilterFactory(MirrorSender sender, MeterRegistry meters, RandomGenerator random,
			MirrorComparisons comparisons) {
		super(MirrorPolicy.class);
		this.sender = sender;
		this.meters = meters;
		this.random = random;
		this.comparisons = comparisons;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("upstream", "percentage");
	}

	@Override
	public GatewayFilter filter(MirrorPolicy policy, String route) {
		ShadowComparisons compared = policy.compare() == null ? null
				: comparisons.of(route, policy.upstream(), policy.compare());
		return new OrderedGatewayFilter(new MirrorFilter(policy, route, new Outcomes(meters, route, policy.upstream()),
				compared == null ? null : new Comparing(policy.compare(), compared, meters, route, policy.upstream())),
				PolicyOrder.MIRROR);
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

	/** A mirror's comparison: what it compares, where it records, and its two counters. */
	record Comparing(ComparePolicy policy, ResponseDiff diff, ShadowComparisons comparisons, Counter matched,
			Counter differed) {

		Comparing(ComparePolicy policy, ShadowComparisons comparisons, MeterRegistry meters, String route, String mirror) {
			this(policy, new ResponseDiff(policy), comparisons, counter(meters, route, mirror, "match"),
					counter(meters, route, mirror, "differ"));
		}

		private static Counter counter(MeterRegistry meters, String route, String mirror, String outcome) {
			return Counter.builder("meshgate.mirror.comparisons")
				.description("Mirrored answers compared with the primary's, by outcome")
				.tags("route", route, "mirror", mirror, "outcome", outcome)
				.register(meters);
		}

		void record(Answer primary, Answer shadow, Optional<Answer> second) {
			Set<String> differing = diff.between(primary, shadow);
			Set<String> noise = second.map(answer -> diff.between(primary, answer)).orElse(null);
			boolean matched = comparisons.record(Instant.now(), differing, noise, primary, shadow);
			(matched ? this.matched : differed).increment();
		}

	}

	private final class MirrorFilter implements GatewayFilter {

		private final MirrorPolicy policy;

		private final String route;

		private final Outcomes outcomes;

		private final Semaphore inFlight;

		private final int maxBody;

		/** Null when the mirror's answers are not compared. */
		private final Comparing comparing;

		MirrorFilter(MirrorPolicy policy, String route, Outcomes outcomes, Comparing comparing) {
			this.policy = policy;
			this.route = route;
			this.outcomes = outcomes;
			this.comparing = comparing;
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
			PrimaryCapture capture = comparing == null ? null : exchange.getAttribute(ExchangeAttributes.MIRROR_CAPTURE);
			if (capture != null) {
				capture.arm(maxBody);
			}
			Copy copy = new Copy(MirrorSender.Shadow.of(request), ServerTrace.of(exchange),
					Timeouts.expiry(policy.timeout(), exchange), capture);
			exchange.getAttributes().put(ExchangeAttributes.MIRRORED, true);
			if (length <= 0 && !chunked) {
				copy.bodyComplete();
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

			/** The primary request's server span, parent of the copy's shadow span. */
			private final ServerTrace primary;

			/** Emits when the copy has taken too long, on the event loop of the primary's connection. */
			private final Mono<Long> deadline;

			private final AtomicBoolean settled = new AtomicBoolean();

			/** Set once the copy went out; read and written under this copy's lock for a copy with a body. */
			private boolean sent;

			private ByteArrayOutputStream body = new ByteArrayOutputStream();

			/** A compared copy's whole body, until the primary is done and it goes out. */
			private byte[] ready;

			/** The primary's answer, when the copy's is compared with it. */
			private final PrimaryCapture capture;

			/** A compared copy's wait for its primary, bounded by the mirror's timeout. */
			private Disposable waitForPrimary;

			Copy(MirrorSender.Shadow shadow, ServerTrace primary, Mono<Long> deadline, PrimaryCapture capture) {
				this.shadow = shadow;
				this.primary = primary;
				this.deadline = deadline;
				this.capture = capture;
				if (capture != null) {
					waitForPrimary = Disposables.composite(deadline.subscribe(expired -> primaryTooSlow()),
							capture.settled().subscribe(null, error -> primaryAnswered(), this::primaryAnswered));
				}
			}

			/**
			 * The primary's answer has been written to the client (or has failed): a compared copy
			 * whose body is whole goes out now. One whose body is not whole (the primary answered
			 * before reading it all) cannot be sent, and gives its place back.
			 */
			private synchronized void primaryAnswered() {
				waitForPrimary.dispose();
				if (ready != null) {
					byte[] bytes = ready;
					ready = null;
					send(bytes);
				}
				else if (!sent) {
					giveUp();
				}
			}

			/**
			 * The primary has not been answered within the mirror's timeout: it is not compared
			 * (as documented), and its copy gives its place back rather than hold it for as long
			 * as the primary streams.
			 */
			private synchronized void primaryTooSlow() {
				waitForPrimary.dispose();
				if (!sent && giveUp()) {
					ready = null;
					body = null;
					outcomes.failed().increment();
				}
			}

			synchronized void append(DataBuffer buffer) {
				if (body == null) {
					return;
				}
				int readable = buffer.readableByteCount();
				if (body.size() + readable > maxBody) {
					body = null;
					if (giveUp()) {
						outcomes.tooLarge().increment();
					}
					return;
				}
				byte[] bytes = new byte[readable];
				buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, readable);
				body.writeBytes(bytes);
			}

			/**
			 * The request's body is whole: a copy that is not compared goes out now; a compared
			 * copy waits until the primary's answer has been written ({@link #primaryAnswered}),
			 * so that on an event loop the primary's request and answer never queue behind the
			 * copy's (the comparison needs the primary's answer first anyway).
			 */
			synchronized void bodyComplete() {
				if (body != null) {
					byte[] bytes = body.toByteArray();
					// the copy holds one copy of the body while in flight, not two
					body = null;
					if (capture == null) {
						send(bytes);
					}
					else {
						ready = bytes;
					}
				}
			}

			/**
			 * The primary's exchange is through the routing: a copy whose body never completed
			 * (the primary never read it) is not sent, and gives its permit back. A copy sent keeps
			 * its permit until it is answered (or compared); a compared copy whose body is whole
			 * waits for the primary's answer.
			 */
			synchronized void abandon() {
				if (!sent && ready == null) {
					giveUp();
				}
			}

			void send(byte[] bytes) {
				if (settled.get()) {
					return;
				}
				sent = true;
				if (capture != null) {
					compare(bytes);
					return;
				}
				sender.send(policy.upstream(), shadow, bytes, deadline, primary, route).doFinally(signal -> settle())
					.subscribe(status -> outcomes.mirrored().increment(), this::failed);
			}

			/**
			 * Sends the copy (and, for noise, a second one to the primary's version) once the
			 * primary's answer is settled, and compares their answers with it once all are in, off
			 * the event loop. A primary that failed is not compared.
			 *
			 * <p>The permit is held until the comparison is recorded or given up, not only until
			 * the copy is answered: the answers a comparison keeps (the primary's, the copy's and
			 * the second copy's, each at most {@code maxBodySize}) exist only while it holds a
			 * permit, so a mirror's comparisons hold at most {@code maxConcurrent} × 2 (3 with a
			 * secondary) × {@code maxBodySize}, besides the request bodies its copies carry.
			 */
			private void compare(byte[] bytes) {
				ComparePolicy compare = comparing.policy();
				Mono<Answer> copy = sender.answer(policy.upstream(), shadow, bytes, deadline, primary, route, compare, maxBody)
					.doOnNext(answer -> outcomes.mirrored().increment())
					.doOnError(this::failed);
				Mono<Optional<Answer>> second = compare.secondary() == null ? Mono.just(Optional.empty())
						: sender.answer(compare.secondary(), shadow, bytes, Mono.delay(policy.timeout()), null, route,
								compare, maxBody)
							.map(Optional::of)
							.onErrorReturn(Optional.empty());
				// every part runs to its end (each copy bounded by the mirror's timeout) before the
				// permit is given back; the primary's answer is already settled, and one that failed
				// is not compared
				Mono.zipDelayError(capture.answer(compare, maxBody), copy, second)
					.publishOn(Schedulers.parallel())
					.doFinally(signal -> {
						capture.release();
						settle();
					})
					.subscribe(all -> comparing.record(all.getT1(), all.getT2(), all.getT3()), error -> {
					});
			}

			private void failed(Throwable error) {
				outcomes.failed().increment();
				if (log.isDebugEnabled()) {
					log.debug("Mirror to " + policy.upstream() + " failed: " + error);
				}
			}

			/**
			 * A copy that will not be sent: releases its permit and its hold on the primary's
			 * answer, exactly once; true for the caller that released them.
			 */
			private boolean giveUp() {
				if (!settle()) {
					return false;
				}
				if (capture != null) {
					if (waitForPrimary != null) {
						waitForPrimary.dispose();
					}
					capture.release();
				}
				return true;
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
