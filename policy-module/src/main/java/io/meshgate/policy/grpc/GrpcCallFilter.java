package io.meshgate.policy.grpc;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.timeout.RouteTimeoutGatewayFilterFactory.RouteTimeoutFilter;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory;
import io.meshgate.policy.timeout.StreamIdleTimeoutGatewayFilterFactory.StreamIdleException;
import io.meshgate.policy.timeout.Timeouts;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * A routed gRPC call, around all of its route's filters and the response writer
 * ({@link PolicyOrder#GRPC_CALL}): keeps its {@link GrpcCall} for the filters inside, and enforces
 * its deadline. The client's {@code grpc-timeout} is the deadline of the whole call, capped by the
 * route's timeout; when capped, the upstream is told the shorter one. A deadline that passes
 * before the response headers answers {@code DEADLINE_EXCEEDED} (through the error handler, as
 * every gateway-made error); one that passes mid-stream ends the stream with that status in the
 * trailers. On a streaming route (one with a {@code streamIdleTimeout}) the route's timeout does
 * not cap the deadline, and a stream idle for that long ends with {@code CANCELLED}. Other
 * requests pass with one header lookup.
 */
public final class GrpcCallFilter implements GlobalFilter, Ordered {

	/** The trailers' text when the deadline passed mid-stream: Meshgate's own, fixed. */
	static final String DEADLINE_PASSED = "deadline exceeded at the gateway";

	/** The status text when a streaming route's idle timeout passed: Meshgate's own, fixed. */
	static final String STREAM_IDLE = "stream idle timeout at the gateway";

	@Override
	public int getOrder() {
		return PolicyOrder.GRPC_CALL;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!GrpcCall.isGrpc(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		GrpcCall call = new GrpcCall();
		exchange.getAttributes().put(ExchangeAttributes.GRPC_CALL, call);
		Duration asked = GrpcTimeout.parse(exchange.getRequest().getHeaders().getFirst(GrpcTimeout.HEADER));
		Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		boolean streams = route != null && StreamIdleTimeoutGatewayFilterFactory.streams(route);
		// a streaming route's timeout bounds the time to the response headers only
		Duration routeTimeout = route == null || streams ? null : RouteTimeoutFilter.of(route);
		Duration deadline = asked == null || routeTimeout != null && routeTimeout.compareTo(asked) < 0 ? routeTimeout
				: asked;
		ServerWebExchange forwarded = exchange;
		if (deadline != null && deadline != asked) {
			String header = GrpcTimeout.format(deadline);
			forwarded = exchange.mutate().request(request -> request.headers(h -> h.set(GrpcTimeout.HEADER, header)))
				.build();
		}
		Mono<Void> result = chain.filter(forwarded);
		if (streams) { // only a streaming route's idle timeout ends a call with this error
			result = result.onErrorResume(StreamIdleException.class, idle -> idle(exchange, call));
		}
		if (deadline != null) {
			result = Timeouts.within(result, deadline, exchange, DeadlineExceeded::new)
				.onErrorResume(DeadlineExceeded.class, passed -> passed(exchange, call));
		}
		// not doFinally, which runs after the end reached the server's observation (metrics, access log)
		return result.doOnSuccess(done -> call.end(exchange, SignalType.ON_COMPLETE))
			.doOnError(error -> call.end(exchange, SignalType.ON_ERROR))
			.doOnCancel(() -> call.end(exchange, SignalType.CANCEL));
	}

	private static Mono<Void> passed(ServerWebExchange exchange, GrpcCall call) {
		return end(exchange, call, GrpcStatus.DEADLINE_EXCEEDED, DEADLINE_PASSED);
	}

	/**
	 * Nothing passed either way for the streaming route's idle timeout. Before the response
	 * headers the upstream did not answer: {@code DEADLINE_EXCEEDED}, as a deadline. Once the
	 * stream runs, {@code CANCELLED}: the gateway gave up on the call, which is no failure of the
	 * upstream's (the client may be the quiet side of a bidirectional stream).
	 */
	private static Mono<Void> idle(ServerWebExchange exchange, GrpcCall call) {
		return end(exchange, call, GrpcStatus.CANCELLED, STREAM_IDLE);
	}

	/**
	 * The gateway gave up on the call: before the response headers a 504 (through the error
	 * handler: {@code DEADLINE_EXCEEDED}), once the stream runs {@code code} in its trailers.
	 */
	private static Mono<Void> end(ServerWebExchange exchange, GrpcCall call, int code, String message) {
		if (!exchange.getResponse().isCommitted()) {
			return Mono.error(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "gRPC call timed out"));
		}
		GrpcErrors.endStream(exchange, code, message);
		call.status(code);
		return Mono.empty();
	}

	/** The call's deadline passed; stackless, it carries nothing of the call. */
	private static final class DeadlineExceeded extends RuntimeException {

		DeadlineExceeded() {
			super("gRPC deadline exceeded", null, false, false);
		}

	}

}
