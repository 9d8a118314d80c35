package io.meshgate.gateway.listeners;

import java.util.Set;
import java.util.TreeSet;

/**
 * The listener ports a gateway serves, by protocol: the ingress port's ({@code http}), the HTTPS
 * listener's ({@code https}) and the further HTTP ports ({@code extra}). A Gateway listener is
 * served exactly when its port and protocol are among them.
 */
public record ServedPorts(int http, int https, Set<Integer> extra) {

	/** The ports of a gateway that has only its ingress and HTTPS ports, at their defaults. */
	public static final ServedPorts DEFAULT = new ServedPorts(80, 443, Set.of());

	public ServedPorts {
		extra = Set.copyOf(extra);
	}

	/**
	 * Why a listener of {@code protocol} (HTTP or HTTPS) on {@code port} cannot be served, as the
	 * message of its {@code PortUnavailable} condition; null when it is served. A listener without
	 * a port (which the CRD does not let through) is not served.
	 */
	public String refusal(Integer port, String protocol) {
		boolean served = port != null
				&& ("HTTPS".equals(protocol) ? port == https : port == http || extra.contains(port));
		if (served) {
			return null;
		}
		Set<Integer> ports = new TreeSet<>(extra);
		ports.add(http);
		return "HTTPS".equals(protocol)
				? "port: " + port + " (expected: " + https + ", the port this gateway serves HTTPS on)"
				: "port: " + port + " (expected: one of " + ports + ", the HTTP ports this gateway serves; "
						+ "meshgate.listeners.ports opens more)";
	}

}
