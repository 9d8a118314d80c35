package io.meshgate.policy.observe;

import io.meshgate.policy.grpc.GrpcStatus;

import java.time.Instant;

/**
 * What happened to one request on the ingress, as the metrics, the traffic window and the access
 * log see it.
 *
 * @param time when the request arrived
 * @param method the HTTP method
 * @param path the request path, without query (queries may carry secrets)
 * @param route the route that took it, or {@code null} when none matched
 * @param backend the upstream the route chose for it (the canary split's choice, or the route's
 * only upstream), or {@code null}
 * @param upstream the upstream whose endpoint served it, or the host of a route that is not
 * load balanced; {@code null} when none was reached
 * @param endpoint the endpoint ({@code host:port}) of the last attempt, or {@code null}
 * @param status the status sent; 499 when the client went away first (as nginx logs it), 0
 * when none was set
 * @param durationNanos from arrival to the last byte sent
 * @param bytesIn request body bytes read
 * @param bytesOut response body bytes sent
 * @param retries retries taken
 * @param mirrored whether a shadow copy of it was sent
 * @param client the client's address, or {@code null}
 * @param traceId the trace it belongs to, or {@code null} without tracing
 * @param grpcStatus a gRPC call's {@code grpc-status} (the upstream's, or the gateway's own
 * error), or {@link GrpcStatus#NONE} for other requests and calls that ended without one
 */
public record RequestOutcome(Instant time, String method, String path, String route, String backend,
		String upstream, String endpoint, int status, long durationNanos, long bytesIn, long bytesOut, int retries,
		boolean mirrored, String client, String traceId, int grpcStatus) {

	/** Status 499: the client closed the connection before the answer was complete. */
	public static final int CLIENT_CLOSED = 499;

	public String statusClass() {
		return MeshMetrics.statusClass(status);
	}

	/** The {@code grpc_status} tag: the gRPC status' name, empty for other requests. */
	public String grpcStatusName() {
		return grpcStatus == GrpcStatus.NONE ? "" : GrpcStatus.name(grpcStatus);
	}

}
