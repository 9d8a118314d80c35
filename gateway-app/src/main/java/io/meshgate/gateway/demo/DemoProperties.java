package io.meshgate.gateway.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.demo.*}: the demo that runs when no upstreams are configured.
 *
 * @param enabled start the demo; default: on exactly when {@code meshgate.upstreams} is empty
 * @param host the address the demo upstreams listen on; default {@code 127.0.0.1}
 * @param canaryWeight the share of {@code /demo/**} traffic sent to {@code demo-v2}, 0-100;
 * default 10
 */
@ConfigurationProperties("meshgate.demo")
public record DemoProperties(Boolean enabled, String host, Integer canaryWeight) {

	public DemoProperties {
		host = host == null ? "127.0.0.1" : host;
		canaryWeight = canaryWeight == null ? 10 : canaryWeight;
		if (canaryWeight < 0 || canaryWeight > 100) {
			throw new IllegalArgumentException("meshgate.demo.canary-weight: " + canaryWeight + " (expected: 0-100)");
		}
	}

}
