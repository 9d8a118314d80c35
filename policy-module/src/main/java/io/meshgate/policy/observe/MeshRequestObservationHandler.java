package io.meshgate.policy.observe;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.grpc.GrpcCall;
import io.meshgate.policy.grpc.GrpcStatus;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_HANDLER_MAPPER_ATTR;

/**
 * Sees every ingress request end when WebFlux's server observation stops (after the error
 * handlers wrote their answer, so the status is final) and records it: {@code meshgate.requests},
 * the route's traffic window, and an access-log line. Requests the gateway's route mapping never
 * looked at (the admin port's) are left alone.
 *
 * <p>Runs on the event loop: it only reads exchange attributes, updates counters and queues the
 * log line.
 */
public final class MeshRequestObservationHandler implements ObservationHandler<ServerRequestObservationContext> {

	private static final String START = MeshRequestObservationHandler.class.getName() + ".start";

	private final RequestMetrics metrics;

	private final RouteTrafficWindows windows;

	private final AccessLog accessLog;

	private final TraceIds traceIds;

	private final Clock clock;

	/**
	 * @param accessLog where lines go, or {@code null} when the access log is off
	 */
	public MeshRequestObservationHandler(RequestMetrics metrics, RouteTrafficWindows windows, AccessLog accessLog,
			TraceIds traceIds, Clock clock) {
		this.metrics = metrics;
		this.windows = windows;
		this.accessLog = accessLog;
		this.traceIds = traceIds;
		this.clock = clock;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ServerRequestObservationContext;
	}

	@Override
	public void onStart(ServerRequestObservationContext context) {
		context.put(START, new Start(clock.instant(), System.nanoTime()));
	}

	private record Start(Instant time, long nanos) {

	}

	@Override
	public void onStop(ServerRequestObservationContext context) {
		Map<String, Object> attributes = context.getAttributes();
		Start start = context.get(START);
		if (start == null || attributes == null || !attributes.containsKey(GATEWAY_HANDLER_MAPPER_ATTR)) {
			return;
		}
		RequestOutcome outcome = outcome(context, attributes, start);
		metrics.record(outcome);
		windows.record(outcome.route(), outcome.backend(), outcome.statusClass());
		if (accessLog != null) {
			accessLog.write(outcome);
		}
	}

	private RequestOutcome outcome(ServerRequestObservationContext context, Map<String, Object> attributes,
			Start start) {
		ServerHttpRequest request = context.getCarrier();
		ServerHttpResponse response = context.getResponse();
		RoutedTo to = RoutedTo.of(attributes);
		HttpStatusCode code = response == null ? null : response.getStatusCode();
		int status = context.isConnectionAborted() ? RequestOutcome.CLIENT_CLOSED : code == null ? 0 : code.value();
		TrafficCounting.Traffic traffic = response == null ? null : TrafficCounting.of(response);
		return new RequestOutcome(start.time(), request.getMethod().name(), request.getPath().value(),
				to.route(), to.backend(), to.upstream(), to.endpoint(), status, System.nanoTime() - start.nanos(),
				traffic == null ? 0 : traffic.bytesIn(), traffic == null ? 0 : traffic.bytesOut(), to.retries(),
				Boolean.TRUE.equals(attributes.get(ExchangeAttributes.MIRRORED)),
				client(attributes, request), traceIds.traceId(context),
				attributes.get(ExchangeAttributes.GRPC_CALL) instanceof GrpcCall grpc ? grpc.status() : GrpcStatus.NONE);
	}

	private static String client(Map<String, Object> attributes, ServerHttpRequest request) {
		Object address = attributes.get(ExchangeAttributes.CLIENT_ADDRESS);
		InetSocketAddress socket = address instanceof InetSocketAddress a ? a : request.getRemoteAddress();
		if (socket == null) {
			return null;
		}
		return socket.getAddress() != null ? socket.getAddress().getHostAddress() : socket.getHostString();
	}

}
