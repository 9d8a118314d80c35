package io.meshgate.policy.l4;

import java.time.Duration;

import io.meshgate.policy.schema.Example;

/**
 * How an L4 route holds its connections (Envoy's cluster {@code connect_timeout}, TCP proxy
 * {@code idle_timeout} and circuit breaker {@code max_connections}, as one block):
 * {@code connection: {connectTimeout: 5s, idleTimeout: 1h, maxConnections: 1024}}.
 *
 * @param connectTimeout how long opening the connection to a backend endpoint may take before the
 * client's connection is closed; default 5s
 * @param idleTimeout a connection on which no byte moved either way for this long is closed on
 * both sides; default 1h
 * @param maxConnections client connections the route holds at once; one more is closed at once
 * (and counted as rejected); default 1024
 */
public record L4ConnectionPolicy(@Example("5s") Duration connectTimeout, @Example("1h") Duration idleTimeout,
		@Example("1024") Integer maxConnections) {

	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

	public static final int DEFAULT_MAX_CONNECTIONS = 1024;

	public static final L4ConnectionPolicy DEFAULT = new L4ConnectionPolicy(null, null, null);

	public L4ConnectionPolicy {
		connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
		if (connectTimeout.toMillis() < 1 || connectTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new IllegalArgumentException(
					"connection.connectTimeout: " + connectTimeout + " (expected: 1ms to 5m)");
		}
		idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
		if (idleTimeout.toMillis() < 1) {
			throw new IllegalArgumentException("connection.idleTimeout: " + idleTimeout + " (expected: >= 1ms)");
		}
		maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
		if (maxConnections < 1) {
			throw new IllegalArgumentException("connection.maxConnections: " + maxConnections + " (expected: >= 1)");
		}
	}

}
