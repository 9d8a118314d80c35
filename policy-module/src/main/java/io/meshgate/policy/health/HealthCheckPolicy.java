package io.meshgate.policy.health;

import java.time.Duration;

import io.meshgate.policy.grpc.GrpcHealthProbe;
import io.meshgate.policy.schema.Example;

/**
 * Active health checks: each endpoint is asked {@code GET path} every {@code interval}, off the
 * request path; an endpoint that fails {@code unhealthyThreshold} checks in a row gets no
 * traffic until it passes {@code healthyThreshold} in a row:
 * {@code healthCheck: {path: /healthz, interval: 5s, timeout: 1s, unhealthyThreshold: 3, healthyThreshold: 2}}.
 * A check passes on any 2xx answer within the timeout. gRPC servers are asked with gRPC's health
 * protocol instead: {@code healthCheck: {type: GRPC, grpcService: orders.v1.Orders}} calls
 * {@code grpc.health.v1.Health/Check} and passes on {@code SERVING}. An upstream of
 * {@code protocol: TCP} checks without a path: a check passes when a TCP connection opens within
 * the timeout.
 *
 * @param path starts with {@code /}; required with type {@code HTTP} on an HTTP upstream, none with
 * {@code GRPC} or on a TCP upstream (which {@link io.meshgate.policy.upstream.Upstream} checks)
 * @param interval default 5s
 * @param timeout default 1s, at most the interval
 * @param unhealthyThreshold default 3
 * @param healthyThreshold default 2
 * @param type {@code HTTP} (default) or {@code GRPC} ({@link HealthCheckType}); {@code GRPC} needs an
 * upstream speaking HTTP/2
 * @param grpcService with type {@code GRPC}: the service asked about ({@code package.Service});
 * default none, the server as a whole
 */
public record HealthCheckPolicy(@Example("/healthz") String path, Duration interval, Duration timeout, Integer unhealthyThreshold,
		Integer healthyThreshold, HealthCheckType type, @Example("orders.v1.Orders") String grpcService) {

	public HealthCheckPolicy {
		type = type == null ? HealthCheckType.HTTP : type;
		if (path != null && !path.startsWith("/")) {
			throw new IllegalArgumentException("healthCheck.path: " + path + " (expected: a path starting with /)");
		}
		if (type == HealthCheckType.GRPC && path != null) {
			throw new IllegalArgumentException("healthCheck.path: " + path
					+ " (expected: no path with type GRPC, which calls " + GrpcHealthProbe.PATH + ")");
		}
		if (grpcService != null && type != HealthCheckType.GRPC) {
			throw new IllegalArgumentException("healthCheck.grpcService: " + grpcService + " (expected: only with type GRPC)");
		}
		if (grpcService != null && !GrpcHealthProbe.validService(grpcService)) {
			throw new IllegalArgumentException("healthCheck.grpcService: " + grpcService
					+ " (expected: a gRPC service name such as orders.v1.Orders, at most 255 characters)");
		}
		interval = interval == null ? Duration.ofSeconds(5) : interval;
		if (interval.toMillis() < 10) {
			throw new IllegalArgumentException("healthCheck.interval: " + interval + " (expected: >= 10ms)");
		}
		timeout = timeout == null ? Duration.ofSeconds(1).compareTo(interval) < 0 ? Duration.ofSeconds(1) : interval
				: timeout;
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
			throw new IllegalArgumentException(
					"healthCheck.timeout: " + timeout + " (expected: > 0 and at most the interval " + interval + ")");
		}
		unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
		if (unhealthyThreshold < 1) {
			throw new IllegalArgumentException(
					"healthCheck.unhealthyThreshold: " + unhealthyThreshold + " (expected: >= 1)");
		}
		healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
		if (healthyThreshold < 1) {
			throw new IllegalArgumentException("healthCheck.healthyThreshold: " + healthyThreshold + " (expected: >= 1)");
		}
	}

	public static HealthCheckPolicy of(String path) {
		return new HealthCheckPolicy(path, null, null, null, null, null, null);
	}

	/** A gRPC health check of {@code service} ({@code null}: the whole server), other fields defaulted. */
	public static HealthCheckPolicy grpc(String service) {
		return new HealthCheckPolicy(null, null, null, null, null, HealthCheckType.GRPC, service);
	}

	/** What a check asks for, for logs: {@code GET /healthz} or {@code grpc.health.v1.Health/Check orders.v1.Orders}. */
	public String describe() {
		return type == HealthCheckType.HTTP ? "GET " + path
				: GrpcHealthProbe.PATH.substring(1) + (grpcService == null ? "" : " " + grpcService);
	}

}
