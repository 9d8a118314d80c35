package io.meshgate.policy.mirror;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

import io.meshgate.policy.mirror.compare.Answer;
import io.meshgate.policy.mirror.compare.CappedBody;
import io.meshgate.policy.mirror.compare.ComparePolicy;

/**
 * The primary's answer as the client gets it, kept for a mirror's comparison once a mirror arms
 * it: the body's first bytes are copied as they are written (the client's stream is neither
 * delayed nor buffered), and {@link #answer} emits once the response is complete; it errs when
 * the response fails. Unarmed (the request was not copied), writes pass through untouched.
 */
final class PrimaryCapture extends ServerHttpResponseDecorator {

	private volatile CappedBody body;

	private final Sinks.One<Captured> captured = Sinks.one();

	/** Status, every header, and the body's first bytes, of the answer the client got. */
	private record Captured(int status, Map<String, List<String>> headers, byte[] body, boolean complete) {

	}

	PrimaryCapture(ServerHttpResponse response) {
		super(response);
	}

	/** Comparisons armed and not yet done with this answer. */
	private int waiting;

	/**
	 * Keeps the body's first {@code maxBody} bytes from now on (the most any armed mirror asked),
	 * until every comparison that armed it has {@link #release released} it.
	 */
	synchronized void arm(int maxBody) {
		waiting++;
		if (body == null || body.limit() < maxBody) {
			body = new CappedBody(maxBody);
		}
	}

	/**
	 * A comparison is done with this answer (compared, or given up). When none waits for it any
	 * more, the body kept so far is dropped and nothing more is kept: a primary that streams on
	 * after its mirrors' timeouts holds no memory for them.
	 */
	synchronized void release() {
		if (--waiting == 0) {
			body.discard();
		}
	}

	/** The answer as {@code compare} compares it, its body cut at {@code maxBody}. */
	Mono<Answer> answer(ComparePolicy compare, int maxBody) {
		return captured.asMono().map(all -> {
			boolean fits = all.body().length <= maxBody;
			return new Answer(all.status(), Answer.compared(compare, all.headers()),
					fits ? all.body() : Arrays.copyOf(all.body(), maxBody), all.complete() && fits);
		});
	}

	/** Completes once the answer has been written to the client; errs when it failed. */
	Mono<Void> settled() {
		return captured.asMono().then();
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> chunks) {
		if (body == null) {
			return super.writeWith(chunks);
		}
		return settle(super.writeWith(Flux.from(chunks).doOnNext(this::keep)));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> chunks) {
		if (body == null) {
			return super.writeAndFlushWith(chunks);
		}
		return settle(super.writeAndFlushWith(Flux.from(chunks).map(inner -> Flux.from(inner).doOnNext(this::keep))));
	}

	@Override
	public Mono<Void> setComplete() {
		return body == null ? super.setComplete() : settle(super.setComplete());
	}

	private void keep(DataBuffer chunk) {
		int readable = chunk.readableByteCount();
		byte[] bytes = new byte[Math.min(readable, body.room())];
		chunk.toByteBuffer(chunk.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
		body.append(ByteBuffer.wrap(bytes), readable);
	}

	private Mono<Void> settle(Mono<Void> write) {
		return write.doOnSuccess(done -> {
			HttpStatusCode status = getStatusCode();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
			captured.tryEmitValue(new Captured(status == null ? 200 : status.value(), headers, body.bytes(),
					body.complete()));
		}).doOnError(captured::tryEmitError);
	}

}
