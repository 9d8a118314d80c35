package io.meshgate.policy.upstream;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import io.meshgate.policy.endpoint.EndpointAddresses;

/**
 * The gateway's own ports (ingress, admin, HTTPS), which no upstream may reach on the gateway's
 * own host unless it sets {@code allowGatewayPorts: true}: a public route to the admin port would
 * put the admin API and actuator on the internet, one to the ingress port loops. The policy module
 * knows the configured {@code server.port} and {@code management.server.port}; the application
 * adds the ports its servers bound (port 0 binds a free one) and its other listeners. The ports
 * of the TCP routes in force are the gateway's too: an endpoint there would relay the gateway's
 * own connections back into it.
 */
public final class GatewayPorts {

	private final Set<Integer> ports = new ConcurrentSkipListSet<>();

	private volatile Set<Integer> tcpRoutePorts = Set.of();

	public GatewayPorts(Integer... ports) {
		EndpointAddresses.readLocalInterfaces();
		for (Integer port : ports) {
			reserve(port);
		}
	}

	/** Adds a port the gateway listens on; null and 0 (a port still to be chosen) are ignored. */
	public void reserve(Integer port) {
		if (port != null && port > 0) {
			ports.add(port);
		}
	}

	public Set<Integer> ports() {
		return new TreeSet<>(ports);
	}

	/** The ports the gateway's own servers listen on, as a live read-only view (TCP routes excluded). */
	public Set<Integer> serverPorts() {
		return Collections.unmodifiableSet(ports);
	}

	/** Makes {@code tcpRoutePorts} the ports of the TCP routes in force, refused like the servers' ports. */
	public void tcpRoutePorts(Set<Integer> tcpRoutePorts) {
		this.tcpRoutePorts = Set.copyOf(tcpRoutePorts);
	}

	/**
	 * Throws {@link IllegalArgumentException} naming the first endpoint of {@code upstream} that is
	 * the gateway itself, unless the upstream allows it.
	 */
	public void check(Upstream upstream) {
		check(upstream, ports, "the gateway's own port ");
	}

	/**
	 * Throws {@link IllegalArgumentException} naming the first endpoint of {@code upstream} that is
	 * the gateway itself on one of {@code tcpRoutePorts} (those of a configuration's TCP routes),
	 * unless the upstream allows it.
	 */
	public void checkTcpRoutePorts(Upstream upstream, Set<Integer> tcpRoutePorts) {
		check(upstream, tcpRoutePorts, "the port of the gateway's TCP route ");
	}

	private static void check(Upstream upstream, Set<Integer> refused, String what) {
		if (upstream.allowGatewayPorts()) {
			return;
		}
		for (int i = 0; i < upstream.endpoints().size(); i++) {
			EndpointSpec endpoint = upstream.endpoints().get(i);
			if (refused.contains(endpoint.port()) && EndpointAddresses.gatewayHost(endpoint.uri().getHost())) {
				throw new IllegalArgumentException("upstreams[" + upstream.name() + "].endpoints[" + i + "]: "
						+ endpoint.uri() + " (expected: not " + what + endpoint.port()
						+ " on its own host; set allowGatewayPorts: true to allow)");
			}
		}
	}

	/** Whether a discovered endpoint address is the gateway itself on one of its ports or its TCP routes' ports. */
	public boolean isGateway(String host, int port) {
		return (ports.contains(port) || tcpRoutePorts.contains(port)) && EndpointAddresses.gatewayHost(host);
	}

}
