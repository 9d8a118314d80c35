package io.meshgate.policy.l4.proxy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.l4.*}: where TCP routes listen and how the HTTPS port reads a ClientHello for
 * TLS passthrough.
 *
 * @param address the address TCP routes' listeners bind; default {@code 0.0.0.0} (every interface)
 * @param maxClientHelloLength the longest ClientHello the passthrough check reads, in bytes; a
 * longer one closes the connection; default 16384 (Envoy's TLS inspector reads up to 16 KiB too)
 * @param clientHelloTimeout how long a connection to the HTTPS port may take to send its
 * ClientHello while passthrough routes exist; default 10s
 */
@ConfigurationProperties("meshgate.l4")
public record L4Properties(String address, Integer maxClientHelloLength, Duration clientHelloTimeout) {

	public static final L4Properties DEFAULT = new L4Properties(null, null, null);

	public L4Properties {
		address = address == null || address.isBlank() ? "0.0.0.0" : address;
		maxClientHelloLength = maxClientHelloLength == null ? 16384 : maxClientHelloLength;
		if (maxClientHelloLength < 512 || maxClientHelloLength > 0xFFFFFF) {
			throw new IllegalArgumentException(
					"meshgate.l4.max-client-hello-length: " + maxClientHelloLength + " (expected: 512-16777215)");
		}
		clientHelloTimeout = clientHelloTimeout == null ? Duration.ofSeconds(10) : clientHelloTimeout;
		if (clientHelloTimeout.toMillis() < 1) {
			throw new IllegalArgumentException(
					"meshgate.l4.client-hello-timeout: " + clientHelloTimeout + " (expected: >= 1ms)");
		}
	}

}
