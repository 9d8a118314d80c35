package io.meshgate.policy.upstream;

import reactor.netty.http.HttpProtocol;

/**
 * The HTTP version the gateway speaks to an upstream's endpoints (Envoy's
 * {@code http_protocol_options} / Istio's {@code h2UpgradePolicy}, as one choice). gRPC needs
 * HTTP/2: {@code H2C} for a cleartext gRPC server, {@code H2} or {@code AUTO} for one behind TLS.
 */
public enum UpstreamProtocol {

	/** HTTP/1.1, with or without TLS: the default. */
	HTTP1,

	/** HTTP/2 over cleartext with prior knowledge (no upgrade round trip); the upstream must not use TLS. */
	H2C,

	/** HTTP/2 over TLS, negotiated by ALPN; an endpoint that does not offer h2 fails the handshake. Needs TLS. */
	H2,

	/** Over TLS, HTTP/2 or HTTP/1.1 as ALPN negotiates; over cleartext, HTTP/1.1 (as Envoy's auto). */
	AUTO,

	/**
	 * Plain TCP: the upstream serves L4 routes ({@code tcpRoutes}, {@code tlsPassthroughRoutes})
	 * only, with {@code tcp://host:port} endpoints; HTTP routes cannot use it.
	 */
	TCP;

	/** What Reactor Netty's client is told to speak, with or without TLS to the endpoints. */
	public HttpProtocol[] clientProtocols(boolean tls) {
		return switch (this) {
			case HTTP1 -> new HttpProtocol[] { HttpProtocol.HTTP11 };
			case H2C -> new HttpProtocol[] { HttpProtocol.H2C };
			case H2 -> new HttpProtocol[] { HttpProtocol.H2 };
			case AUTO -> tls ? new HttpProtocol[] { HttpProtocol.H2, HttpProtocol.HTTP11 }
					: new HttpProtocol[] { HttpProtocol.HTTP11 };
			case TCP -> throw new IllegalStateException("a TCP upstream has no HTTP client");
		};
	}

	/** Whether HTTP/2 is spoken (or offered by ALPN) to endpoints with or without TLS, as gRPC needs. */
	public boolean http2(boolean tls) {
		return this == H2C || this == H2 || this == AUTO && tls;
	}

	/** Whether the client is a Meshgate one of its own rather than the gateway's shared HTTP/1.1 client. */
	boolean ownClient() {
		return this == H2C || this == H2 || this == AUTO;
	}

}
