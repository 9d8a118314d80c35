package io.meshgate.policy.health;

/** What an active health check asks each endpoint. */
public enum HealthCheckType {

	/** {@code GET path}; any 2xx answer within the timeout passes. */
	HTTP,

	/**
	 * gRPC's health protocol: {@code grpc.health.v1.Health/Check} for {@code grpcService} (the
	 * whole server without one); passes on {@code SERVING} with {@code grpc-status} 0. The upstream
	 * must speak HTTP/2.
	 */
	GRPC

}
