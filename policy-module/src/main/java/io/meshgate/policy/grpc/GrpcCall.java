package io.meshgate.policy.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.timeout.Timeouts;

/**
 * One gRPC call on the ingress ({@code content-type: application/grpc…}), kept under
 * {@link ExchangeAttributes#GRPC_CALL}: its {@code grpc-status} once known, and the outcome of its
 * last try for those who count it (circuit breaker, outlier detection). A gRPC status comes in
 * the response headers when the server answers at once ("Trailers-Only"), else in the trailers
 * after the last message: an outcome then waits for the trailers, or for the end of the call
 * ({@link #end}), whichever comes first.
 * <p>
 * An outcome is an HTTP-like status, as the breaker and outlier detection count: the gRPC status
 * as {@link GrpcStatus#asHttpOutcome}, the HTTP status when the answer carried no gRPC status,
 * 0 when no answer came (the stream failed), and {@link #UNCOUNTED} when the client went away.
 * <p>
 * Thread-safe: trailers arrive on the upstream connection's event loop, the end on the client's.
 */
public final class GrpcCall {

	/** An outcome that is nobody's failure: the client cancelled. */
	public static final int UNCOUNTED = -1;

	private int status = GrpcStatus.NONE;

	private List<IntConsumer> waiting;

	private boolean ended;

	/** Whether the request is a gRPC call: its content type is {@code application/grpc} or a variant of it. */
	public static boolean isGrpc(ServerHttpRequest request) {
		return StringUtils.startsWithIgnoreCase(request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE),
				"application/grpc");
	}

	/** The exchange's gRPC call, or {@code null} when the request is not one (or no filter saw it yet). */
	public static GrpcCall of(ServerWebExchange exchange) {
		return exchange.getAttribute(ExchangeAttributes.GRPC_CALL) instanceof GrpcCall call ? call : null;
	}

	/** The exchange's gRPC call, made now if no filter made it (an answer before any route filter ran). */
	public static GrpcCall orStart(ServerWebExchange exchange) {
		GrpcCall call = of(exchange);
		if (call == null) {
			call = new GrpcCall();
			exchange.getAttributes().put(ExchangeAttributes.GRPC_CALL, call);
		}
		return call;
	}

	/** The call's gRPC status, {@link GrpcStatus#NONE} until known. */
	public synchronized int status() {
		return status;
	}

	/**
	 * Records the call's gRPC status (from the trailers, or a gateway-made answer) and hands the
	 * outcome to those waiting for it.
	 */
	public void status(int code) {
		List<IntConsumer> settled;
		synchronized (this) {
			status = code;
			settled = takeWaiting();
		}
		settle(settled, GrpcStatus.asHttpOutcome(code));
	}

	/**
	 * Hands {@code outcome} the outcome of the try whose response headers just arrived on
	 * {@code exchange}: at once when the headers tell it (a gRPC status in them, or an answer that
	 * is not a gRPC one), else when the trailers or the end of the call do.
	 */
	public void whenSettled(ServerWebExchange exchange, IntConsumer outcome) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		int code = GrpcStatus.in(headers);
		HttpStatusCode http = exchange.getResponse().getStatusCode();
		int httpStatus = http == null ? 200 : http.value();
		if (code != GrpcStatus.NONE) {
			synchronized (this) {
				status = code;
			}
			outcome.accept(GrpcStatus.asHttpOutcome(code));
			return;
		}
		if (httpStatus != 200 || !isGrpcAnswer(headers)) {
			outcome.accept(httpStatus);
			return;
		}
		synchronized (this) {
			if (!ended) {
				status = GrpcStatus.NONE;
				if (waiting == null) {
					waiting = new ArrayList<>(2);
				}
				waiting.add(outcome);
				return;
			}
		}
		outcome.accept(GrpcStatus.asHttpOutcome(GrpcStatus.INTERNAL));
	}

	/**
	 * The call is over ({@code signal} of its filter chain): a status in the response headers
	 * (proxied Trailers-Only, or a gateway-made answer) is the call's when none came; an outcome
	 * still waiting is settled: 0 (no answer) when the chain failed, {@link #UNCOUNTED} when the
	 * client went away, 504 when the gateway's own timer cancelled it, and the HTTP status when
	 * the answer ended without a gRPC status.
	 */
	void end(ServerWebExchange exchange, SignalType signal) {
		List<IntConsumer> settled;
		int outcome;
		synchronized (this) {
			ended = true;
			if (status == GrpcStatus.NONE) {
				status = GrpcStatus.in(exchange.getResponse().getHeaders());
			}
			settled = takeWaiting();
			if (settled == null) {
				return;
			}
			HttpStatusCode http = exchange.getResponse().getStatusCode();
			outcome = status != GrpcStatus.NONE ? GrpcStatus.asHttpOutcome(status)
					: signal == SignalType.ON_ERROR ? 0
							: signal == SignalType.CANCEL ? (Timeouts.timedOut(exchange) ? 504 : UNCOUNTED)
									: http == null ? 200 : http.value();
		}
		settle(settled, outcome);
	}

	private List<IntConsumer> takeWaiting() {
		List<IntConsumer> taken = waiting;
		waiting = null;
		return taken;
	}

	private static void settle(List<IntConsumer> settled, int outcome) {
		if (settled != null) {
			settled.forEach(consumer -> consumer.accept(outcome));
		}
	}

	private static boolean isGrpcAnswer(HttpHeaders headers) {
		return StringUtils.startsWithIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_TYPE), "application/grpc");
	}

}
