package io.meshgate.gateway.listeners;

import java.util.Set;
import java.util.TreeSet;

/**
 * The listener ports a gateway serves, by protocol: the ingress port's ({@code http}), the HTTPS
 * listener's ({@code https}) and the further HTTP ports ({@code extra}), and whether its cleartext
 * HTTP ports speak HTTP/2 with prior knowledge ({@code cleartextHttp2}), which GRPCRoutes on HTTP
 * listeners need. A Gateway listener is
 * served exactly when its port and protocol are among them. A {@code TLS} listener (passthrough
 * by SNI) is served on the HTTPS port beside terminated HTTPS; a {@code TCP} listener is served on
 * a port of its own, bound by its TCP route, which must be none of those and none of the
 * gateway's own local ports ({@code local}).
 *
 * @param local the ports the gateway's own servers listen on (ingress, admin, HTTPS, further
 * listeners), a live view (the policy module's {@code GatewayPorts}): a TCP listener cannot bind them
 * @param cleartextHttp2 {@code meshgate.ingress.h2c-prior-knowledge}: the cleartext HTTP ports take
 * HTTP/2 from clients that start with its preface (the HTTPS listener always offers h2 by ALPN)
 */
public record ServedPorts(int http, int https, Set<Integer> extra, Set<Integer> local, boolean cleartextHttp2) {

	/** Why an HTTP listener takes no GRPCRoute when the cleartext ports speak HTTP/1.1 only. */
	static final String NO_CLEARTEXT_HTTP2 = "GRPCRoute on an HTTP listener needs HTTP/2 with prior knowledge (h2c), "
			+ "which this gateway has off (meshgate.ingress.h2c-prior-knowledge: false); attach it to an HTTPS listener";

	/** The ports of a gateway that has only its ingress and HTTPS ports, at their defaults. */
	public static final ServedPorts DEFAULT = new ServedPorts(80, 443, Set.of());

	public ServedPorts {
		extra = Set.copyOf(extra);
		local = local == null ? Set.of() : local;
	}

	public ServedPorts(int http, int https, Set<Integer> extra) {
		this(http, https, extra, Set.of(), true);
	}

	/** These ports, with {@code local} as the gateway's own local ports. */
	public ServedPorts withLocal(Set<Integer> local) {
		return new ServedPorts(http, https, extra, local, cleartextHttp2);
	}

	/** These ports, with their cleartext HTTP ports speaking HTTP/2 with prior knowledge or not. */
	public ServedPorts withCleartextHttp2(boolean cleartextHttp2) {
		return new ServedPorts(http, https, extra, local, cleartextHttp2);
	}

	/**
	 * Why a served listener of {@code protocol} cannot take routes of {@code kind} although it
	 * admits them, as the message of its {@code UnsupportedProtocol} condition; null when it can.
	 * Gateway API's GRPCRoute: an implementation that does not take HTTP/2 with prior knowledge on
	 * an {@code HTTP} listener sets that listener's {@code Accepted} to {@code False} with reason
	 * {@code UnsupportedProtocol}.
	 */
	public String unsupportedKind(String protocol, String kind) {
		return !cleartextHttp2 && "HTTP".equals(protocol) && "GRPCRoute".equals(kind) ? NO_CLEARTEXT_HTTP2 : null;
	}

	/**
	 * Why a listener of {@code protocol} (HTTP, HTTPS, TLS or TCP) on {@code port} cannot be
	 * served, as the message of its {@code PortUnavailable} condition; null when it is served. A
	 * listener without a port (which the CRD does not let through) is not served.
	 */
	public String refusal(Integer port, String protocol) {
		if ("TCP".equals(protocol)) {
			return port == null || httpPort(port) || local.contains(port)
					? "port: " + port + " (expected: a port of its own; " + port + " is one the gateway serves HTTP or HTTPS"
							+ " on or listens on itself)"
					: null;
		}
		boolean served = port != null && ("HTTPS".equals(protocol) || "TLS".equals(protocol) ? port == https
				: port == http || extra.contains(port));
		if (served) {
			return null;
		}
		Set<Integer> ports = new TreeSet<>(extra);
		ports.add(http);
		return "HTTPS".equals(protocol) ? "port: " + port + " (expected: " + https + ", the port this gateway serves HTTPS on)"
				: "TLS".equals(protocol)
				? "port: " + port + " (expected: " + https + ", the HTTPS port, where TLS passthrough is chosen by SNI)"
				: "port: " + port + " (expected: one of " + ports + ", the HTTP ports this gateway serves; "
						+ "meshgate.listeners.ports opens more)";
	}

	/** Whether {@code port} is served as HTTP or HTTPS (a TCP listener there conflicts). */
	public boolean httpPort(int port) {
		return port == http || port == https || extra.contains(port);
	}

}
