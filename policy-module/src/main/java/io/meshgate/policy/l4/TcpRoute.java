package io.meshgate.policy.l4;

import java.util.List;

import io.meshgate.policy.schema.Example;

/**
 * A TCP route: every connection to a listener port of its own is relayed, bytes untouched both
 * ways, to one endpoint of one of its weighted TCP upstreams (Gateway API's {@code TCPRoute}).
 *
 * <pre>
 * tcpRoutes:
 *   - name: postgres
 *     port: 15432
 *     backends: [{upstream: pg-primary, weight: 9}, {upstream: pg-next, weight: 1}]
 *     connection: {connectTimeout: 5s, idleTimeout: 1h, maxConnections: 1024}
 * </pre>
 *
 * @param name unique among TCP routes; a DNS label
 * @param port the listener port, 1-65535, one route per port, not one of the gateway's own ports
 * @param backends the TCP upstreams connections go to, by weight; at least one with a weight above 0
 * @param connection timeouts and the connection limit ({@link L4ConnectionPolicy}); default its defaults
 */
public record TcpRoute(@Example("postgres") String name, @Example("15432") Integer port, List<L4Backend> backends,
		L4ConnectionPolicy connection) {

	public TcpRoute {
		L4Routes.checkName(name);
		if (port == null || port < 1 || port > 65535) {
			throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
		}
		backends = L4Routes.backends(backends);
		connection = connection == null ? L4ConnectionPolicy.DEFAULT : connection;
	}

	public static TcpRoute of(String name, int port, L4Backend... backends) {
		return new TcpRoute(name, port, List.of(backends), null);
	}

	public TcpRoute withConnection(L4ConnectionPolicy connection) {
		return new TcpRoute(name, port, backends, connection);
	}

}
