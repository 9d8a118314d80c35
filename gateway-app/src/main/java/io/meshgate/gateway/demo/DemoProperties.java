package io.meshgate.gateway.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.demo.*}: the demo that runs when no upstreams are configured.
 *
 * @param enabled start the demo; default: on exactly when {@code meshgate.upstreams} is empty
 * @param host the address the demo upstreams listen on; default {@code 127.0.0.1}
 * @param canaryWeight the share of {@code /demo/**} traffic sent to {@code demo-v2}, 0-100;
 * default 10
 * @param tcpPort the listener port of the demo's TCP route {@code demo-tcp}, 1-65535, or 0 for a
 * free port chosen at start; default {@value #DEFAULT_TCP_PORT}, or a free port when the ingress
 * port is itself chosen at start ({@code server.port=0})
 */
@ConfigurationProperties("meshgate.demo")
public record DemoProperties(Boolean enabled, String host, Integer canaryWeight, Integer tcpPort) {

	public static final int DEFAULT_TCP_PORT = 8082;

	public DemoProperties {
		host = host == null ? "127.0.0.1" : host;
		canaryWeight = canaryWeight == null ? 10 : canaryWeight;
		if (canaryWeight < 0 || canaryWeight > 100) {
			throw new IllegalArgumentException("meshgate.demo.canary-weight: " + canaryWeight + " (expected: 0-100)");
		}
		if (tcpPort != null && (tcpPort < 0 || tcpPort > 65535)) {
			throw new IllegalArgumentException("meshgate.demo.tcp-port: " + tcpPort + " (expected: 0-65535)");
		}
	}

}
