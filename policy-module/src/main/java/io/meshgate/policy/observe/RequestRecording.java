package io.meshgate.policy.observe;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.grpc.GrpcStatus;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_HANDLER_MAPPER_ATTR;

/**
 * Records every ingress request around the whole of WebFlux, so that answers written by exception
 * handlers are seen with their final status: it starts the request's server span as the request
 * arrives, counts the body bytes both ways, and when the last byte of the answer is sent records
 * {@code meshgate.requests}, the route's traffic window and an access-log line, and ends the span.
 * Requests the gateway's route mapping never looked at (the admin port's, or those the edge
 * refused) end their span but are not counted.
 *
 * <p>This is Meshgate's request observation, in place of Spring's server observation
 * ({@code http.server.requests}), whose own work (its context, key values, timers and the tracing
 * handler's scopes) costs about 5 µs more per request for the same records
 * (docs/design/request-recording.md). It runs on the event loop: it reads exchange attributes,
 * updates counters and queues the log line.
 */
public final class RequestRecording implements HttpHandlerDecoratorFactory {

	private final RequestMetrics metrics;

	private final RouteTrafficWindows windows;

	private final AccessLog accessLog;

	private final ServerTracing tracing;

	private final Clock clock;

	/**
	 * @param metrics {@code meshgate.requests}, or {@code null} when request metrics are off
	 * @param windows the routes' traffic windows, or {@code null} when request metrics are off
	 * @param accessLog where lines go, or {@code null} when the access log is off
	 */
	public RequestRecording(RequestMetrics metrics, RouteTrafficWindows windows, AccessLog accessLog,
			ServerTracing tracing, Clock clock) {
		this.metrics = metrics;
		this.windows = windows;
		this.accessLog = accessLog;
		this.tracing = tracing;
		this.clock = clock;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		if (metrics == null && accessLog == null && tracing == ServerTracing.NONE) {
			return handler; // nothing to record: no cost per request
		}
		return (request, response) -> {
			RequestRecord record = new RequestRecord(clock.instant(), System.nanoTime(), tracing.start(request));
			return handler.handle(new CountingRequest(request, record), new RecordedResponse(response, record))
				.doFinally(signal -> end(record, request, response, signal));
		};
	}

	/** The record of the request whose response this is, or {@code null} when it is not recorded. */
	static RequestRecord of(ServerHttpResponse response) {
		for (ServerHttpResponse r = response; r != null;) {
			if (r instanceof RecordedResponse recorded) {
				return recorded.record;
			}
			r = r instanceof ServerHttpResponseDecorator decorator ? decorator.getDelegate() : null;
		}
		return null;
	}

	private void end(RequestRecord record, ServerHttpRequest request, ServerHttpResponse response, SignalType signal) {
		Map<String, Object> attributes = record.attributes();
		String method = request.getMethod().name();
		String path = request.getPath().value();
		int status = status(response, attributes, signal);
		Throwable error = attributes == null ? null
				: (Throwable) attributes.get(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION);
		boolean routed = attributes != null && attributes.containsKey(GATEWAY_HANDLER_MAPPER_ATTR);
		RoutedTo to = routed ? RoutedTo.of(attributes) : null;
		record.trace().end(method, path, status, to, error);
		if (!routed) {
			return;
		}
		RequestOutcome outcome = new RequestOutcome(record.time(), method, path, to.route(), to.backend(),
				to.upstream(), to.endpoint(), status, System.nanoTime() - record.startNanos(), record.bytesIn(),
				record.bytesOut(), to.retries(), Boolean.TRUE.equals(attributes.get(ExchangeAttributes.MIRRORED)),
				client(attributes, request), record.trace().traceId(),
				attributes.get(ExchangeAttributes.GRPC_CALL) instanceof GrpcCall grpc ? grpc.status() : GrpcStatus.NONE);
		if (metrics != null) {
			metrics.record(outcome);
			windows.record(outcome.route(), outcome.backend(), outcome.statusClass());
		}
		if (accessLog != null) {
			accessLog.write(outcome);
		}
	}

	/**
	 * The status sent: 499 when the client went away first (a cancel, or WebFlux's own finding of
	 * a disconnected client), 0 when none was set.
	 */
	private static int status(ServerHttpResponse response, Map<String, Object> attributes, SignalType signal) {
		if (signal == SignalType.CANCEL || aborted(attributes)) {
			return RequestOutcome.CLIENT_CLOSED;
		}
		HttpStatusCode code = response.getStatusCode();
		return code == null ? 0 : code.value();
	}

	private static boolean aborted(Map<String, Object> attributes) {
		return attributes != null && attributes.get(
				ServerRequestObservationContext.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE) instanceof ServerRequestObservationContext context
				&& context.isConnectionAborted();
	}

	private static String client(Map<String, Object> attributes, ServerHttpRequest request) {
		InetSocketAddress socket = ExchangeAttributes.clientAddress(attributes, request);
		if (socket == null) {
			return null;
		}
		return socket.getAddress() != null ? socket.getAddress().getHostAddress() : socket.getHostString();
	}

	private static final class CountingRequest extends ServerHttpRequestDecorator {

		private final RequestRecord record;

		CountingRequest(ServerHttpRequest delegate, RequestRecord record) {
			super(delegate);
			this.record = record;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return super.getBody().doOnNext(buffer -> record.received(buffer.readableByteCount()));
		}

	}

	/** Counts the body bytes sent, and carries the record to {@link RequestRecordFilter}. */
	private static final class RecordedResponse extends ServerHttpResponseDecorator {

		private final RequestRecord record;

		RecordedResponse(ServerHttpResponse delegate, RequestRecord record) {
			super(delegate);
			this.record = record;
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
			record.sent(buffer.readableByteCount());
		}

	}

}
