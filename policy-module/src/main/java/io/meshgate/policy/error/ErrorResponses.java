package io.meshgate.policy.error;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.boot.json.JsonWriter;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.grpc.GrpcErrors;

/**
 * Writes the one JSON error body every Meshgate error answers with:
 * {@code {"status":503,"error":"Service Unavailable","message":"…","route":"orders", …}}. The message is
 * a fixed text ({@link ErrorTexts}); nothing the client sent (path, headers) is repeated. A gRPC
 * client gets the same answer as a gRPC error ({@link GrpcErrors}).
 *
 * <p>An answer given before the request was read (a fault abort, a rate limit, no route) first
 * reads what is left of the request: Reactor Netty stops reading a keep-alive connection whose
 * response completed before its request did, and the client's next request on it would hang.
 * Bodies beyond {@link #MAX_DRAIN} are not read; that connection is closed instead. The wait is
 * bounded by {@code meshgate.ingress.request-body-timeout}: a body that does not come fails the
 * answer with the server's timeout error, and the connection is closed.
 */
public final class ErrorResponses {

	private static final JsonWriter<Object> JSON = JsonWriter.standard();

	static final long MAX_DRAIN = 1024 * 1024;

	private ErrorResponses() {
	}

	/**
	 * @param details further fields ({@code upstream}, {@code route}); {@code null} values are left out
	 */
	public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String message,
			Map<String, ?> details) {
		if (GrpcCall.isGrpc(exchange.getRequest())) {
			return grpc(exchange, status, message);
		}
		HttpStatus known = HttpStatus.resolve(status.value());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("error", known != null ? known.getReasonPhrase() : "Status " + status.value());
		body.put("message", message);
		details.forEach((key, value) -> {
			if (value != null) {
				body.put(key, value);
			}
		});
		return write(exchange, status, MediaType.APPLICATION_JSON, JSON.writeToString(body).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Answers with a body a component chose to pass on (an external authorization service's
	 * denial), after reading the rest of the request as {@link #write(ServerWebExchange, HttpStatusCode, String, Map)}
	 * does; never cached.
	 */
	public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, MediaType contentType,
			byte[] bytes) {
		if (GrpcCall.isGrpc(exchange.getRequest())) {
			return grpc(exchange, status, ErrorTexts.of(status));
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(contentType);
		response.getHeaders().setContentLength(bytes.length);
		response.getHeaders().setCacheControl("no-store");
		return drainRequest(exchange).then(Mono.defer(() -> response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)))));
	}

	/** A gRPC client reads the status from {@code grpc-status}, never from a JSON body: no body at all. */
	private static Mono<Void> grpc(ServerWebExchange exchange, HttpStatusCode status, String message) {
		GrpcErrors.prepare(exchange, status, message);
		ServerHttpResponse response = exchange.getResponse();
		return drainRequest(exchange).then(Mono.defer(response::setComplete));
	}

	/**
	 * Reads and drops the rest of the request body; a body already read ends at once. An answer
	 * written before its request's end was read must wait for this: Reactor Netty stops the
	 * request's timer ({@code meshgate.ingress.request-body-timeout}) only when that end reaches
	 * the request, and the timer holds the request until it fires.
	 */
	public static Mono<Void> drainRequest(ServerWebExchange exchange) {
		AtomicLong drained = new AtomicLong();
		return exchange.getRequest()
			.getBody()
			.doOnNext(buffer -> {
				drained.addAndGet(buffer.readableByteCount());
				DataBufferUtils.release(buffer);
			})
			.takeUntil(buffer -> drained.get() > MAX_DRAIN)
			.then(Mono.fromRunnable(() -> {
				if (drained.get() > MAX_DRAIN) {
					exchange.getResponse().getHeaders().setConnection("close");
				}
			}))
			// the body was already subscribed to (the upstream call read it): nothing left to read
			.onErrorResume(IllegalStateException.class, alreadyRead -> Mono.empty())
			// a broken body or a client gone: answer if still possible, then close; a missed
			// deadline goes on to the error handler, which counts it (the connection is closed)
			.onErrorResume(broken -> !RequestBodyTimeoutException.isCauseOf(broken), broken -> {
				exchange.getResponse().getHeaders().setConnection("close");
				return Mono.empty();
			})
			.then();
	}

}
