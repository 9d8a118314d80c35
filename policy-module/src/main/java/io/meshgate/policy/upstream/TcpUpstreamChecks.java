package io.meshgate.policy.upstream;

import java.util.List;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.health.HealthCheckPolicy;
import io.meshgate.policy.health.HealthCheckType;
import io.meshgate.policy.lb.LoadBalancerPolicy;
import io.meshgate.policy.stream.WebSocketPolicy;
import io.meshgate.policy.tls.TlsPolicy;

/**
 * The checks that tell an L4 upstream ({@code protocol: TCP}) from an HTTP one, across the
 * fields of {@link Upstream}: endpoints of the one scheme, and no field that only an HTTP
 * upstream can honour.
 */
final class TcpUpstreamChecks {

	private TcpUpstreamChecks() {
	}

	static void check(List<EndpointSpec> endpoints, TlsPolicy tls, CircuitBreakerPolicy circuitBreaker,
			WebSocketPolicy webSocket, HealthCheckPolicy healthCheck, LoadBalancerPolicy loadBalancer) {
		for (int i = 0; i < endpoints.size(); i++) {
			if (!endpoints.get(i).tcp()) {
				throw new IllegalArgumentException("endpoints[" + i + "]: " + endpoints.get(i).uri()
						+ " (expected: tcp://host:port with protocol TCP)");
			}
		}
		if (tls.enabled()) {
			throw new IllegalArgumentException("tls.mode: " + tls.mode()
					+ " (expected: DISABLE with protocol TCP; the bytes are relayed as they come)");
		}
		if (circuitBreaker != null) {
			throw new IllegalArgumentException("circuitBreaker: " + circuitBreaker
					+ " (expected: none with protocol TCP; a TCP route limits connections with maxConnections)");
		}
		if (webSocket != null) {
			throw new IllegalArgumentException("webSocket: " + webSocket + " (expected: none with protocol TCP)");
		}
		if (healthCheck != null && healthCheck.path() != null) {
			throw new IllegalArgumentException("healthCheck.path: " + healthCheck.path()
					+ " (expected: none with protocol TCP; the check is a TCP connect)");
		}
		if (loadBalancer.hashOn() != null && loadBalancer.hashOn().source() != HashKey.Source.CLIENT_ADDRESS) {
			throw new IllegalArgumentException("loadBalancer.hashOn: " + loadBalancer.hashOn()
					+ " (expected: client-address with protocol TCP; a connection has no headers)");
		}
	}

	static void checkHttp(List<EndpointSpec> endpoints, HealthCheckPolicy healthCheck) {
		for (int i = 0; i < endpoints.size(); i++) {
			if (endpoints.get(i).tcp()) {
				throw new IllegalArgumentException("endpoints[" + i + "]: " + endpoints.get(i).uri()
						+ " (expected: http:// or https://; tcp:// only with protocol TCP)");
			}
		}
		if (healthCheck != null && healthCheck.type() == HealthCheckType.HTTP && healthCheck.path() == null) {
			throw new IllegalArgumentException("healthCheck.path: null (expected: a path starting with /; "
					+ "only a gRPC check or a TCP upstream checks without one)");
		}
	}

}
