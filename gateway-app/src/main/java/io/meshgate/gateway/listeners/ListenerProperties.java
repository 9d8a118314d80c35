package io.meshgate.gateway.listeners;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.listeners.*}: the listener ports this gateway serves, as clients address them
 * (a Kubernetes Service's {@code port}, a Gateway listener's {@code port}), and the local ports
 * that serve them (the Service's {@code targetPort}). Routes with a {@code listener} match, which
 * the Kubernetes translation gives every Gateway API route, take requests of their listener port
 * only.
 *
 * @param httpPort the listener port the ingress port ({@code server.port}) serves; default 80
 * @param httpsPort the listener port the HTTPS listener ({@code meshgate.https.port}) serves;
 * default 443
 * @param ports further HTTP listener ports, each opened at start as a server of its own on the
 * local port it maps to ({@code 8080: 18080}; 0 picks a free one, for tests), with the ingress
 * port's routes, filters and settings; a Gateway listener on a port that is none of these is
 * refused ({@code PortUnavailable}). Default none: a deployment opens only the ports it declares.
 */
@ConfigurationProperties("meshgate.listeners")
public record ListenerProperties(Integer httpPort, Integer httpsPort, Map<Integer, Integer> ports) {

	public ListenerProperties {
		httpPort = httpPort == null ? 80 : checked("http-port", httpPort);
		httpsPort = httpsPort == null ? 443 : checked("https-port", httpsPort);
		if (httpPort.equals(httpsPort)) {
			throw new IllegalArgumentException("https-port: " + httpsPort + " (expected: another port than http-port)");
		}
		Map<Integer, Integer> sorted = new TreeMap<>();
		for (Map.Entry<Integer, Integer> entry : ports == null ? Map.<Integer, Integer>of().entrySet() : ports.entrySet()) {
			int port = checked("ports", entry.getKey());
			if (port == httpPort || port == httpsPort) {
				throw new IllegalArgumentException("ports: " + port
						+ " (expected: a listener port other than http-port and https-port, which their servers serve)");
			}
			Integer local = entry.getValue();
			if (local == null || local < 0 || local > 65535) {
				throw new IllegalArgumentException("ports." + port + ": " + local + " (expected: a local port 0-65535)");
			}
			if (local != 0 && sorted.containsValue(local)) {
				throw new IllegalArgumentException("ports." + port + ": " + local + " (expected: a local port no other listener port maps to)");
			}
			sorted.put(port, local);
		}
		ports = java.util.Collections.unmodifiableMap(sorted);
	}

	private static int checked(String field, Integer port) {
		if (port == null || port < 1 || port > 65535) {
			throw new IllegalArgumentException(field + ": " + port + " (expected: a listener port 1-65535)");
		}
		return port;
	}

	/** What the Kubernetes translation may serve. */
	public ServedPorts served() {
		return new ServedPorts(httpPort, httpsPort, ports.keySet());
	}

}
