package io.meshgate.policy.upstream;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import io.meshgate.policy.endpoint.EndpointAddresses;

/**
 * The gateway's own ports (ingress, admin, HTTPS), which no upstream may reach on the gateway's
 * own host unless it sets {@code allowGatewayPorts: true}: a public route to the admin port would
 * put the admin API and actuator on the internet, one to the ingress port loops. The policy module
 * knows the configured {@code server.port} and {@code management.server.port}; the application
 * adds the ports its servers bound (port 0 binds a free one) and its other listeners.
 */
public final class GatewayPorts {

	private final Set<Integer> ports = new ConcurrentSkipListSet<>();

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

	/**
	 * Throws {@link IllegalArgumentException} naming the first endpoint of {@code upstream} that is
	 * the gateway itself, unless the upstream allows it.
	 */
	public void check(Upstream upstream) {
		if (upstream.allowGatewayPorts()) {
			return;
		}
		for (int i = 0; i < upstream.endpoints().size(); i++) {
			EndpointSpec endpoint = upstream.endpoints().get(i);
			if (ports.contains(endpoint.port()) && EndpointAddresses.gatewayHost(endpoint.uri().getHost())) {
				throw new IllegalArgumentException("upstreams[" + upstream.name() + "].endpoints[" + i + "]: "
						+ endpoint.uri() + " (expected: not the gateway's own port " + endpoint.port()
						+ " on its own host; set allowGatewayPorts: true to allow)");
			}
		}
	}

	/** Whether a discovered endpoint address is the gateway itself on one of its ports. */
	public boolean isGateway(String host, int port) {
		return ports.contains(port) && EndpointAddresses.gatewayHost(host);
	}

}
