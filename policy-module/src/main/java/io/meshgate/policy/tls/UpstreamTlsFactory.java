package io.meshgate.policy.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

/**
 * Opens the TLS of upstreams: a client derived from the gateway's own HTTP client (its timeouts,
 * pool settings and proxy), secured with the upstream's material. Reactor Netty keys pooled
 * connections by address and TLS configuration, so each upstream's TLS connections are its own.
 */
public final class UpstreamTlsFactory {

	private final Supplier<HttpClient> base;

	private final MeterRegistry meters;

	private final Clock clock;

	private final Duration checkInterval;

	public UpstreamTlsFactory(Supplier<HttpClient> base, MeterRegistry meters, Clock clock, Duration checkInterval) {
		this.base = base;
		this.meters = meters;
		this.clock = clock;
		this.checkInterval = checkInterval;
	}

	/**
	 * Loads and checks the material now (blocking file reads: never call on an event loop), for
	 * {@code client} ({@code null}: the gateway's own), which has the upstream's HTTP version set:
	 * with HTTP/2 among its protocols, ALPN offers h2.
	 */
	public UpstreamTls open(String upstream, TlsPolicy policy, HttpClient client) {
		return load(upstream, policy, client != null ? client : base.get()).watch(checkInterval);
	}

	/**
	 * {@code client} secured with {@code policy}'s material, read and checked once now (blocking
	 * file reads: never call on an event loop), without the watch that reloads an upstream's: for
	 * a client rebuilt whenever its owner is, as a route's external authorization service. Refused
	 * server certificates are counted as an upstream's, under {@code name}.
	 */
	public HttpClient secure(String name, TlsPolicy policy, HttpClient client) {
		return load(name, policy, client).client();
	}

	private UpstreamTls load(String upstream, TlsPolicy policy, HttpClient client) {
		Counter handshakeFailures = Counter.builder("meshgate.tls.handshake.failures")
			.description("Server certificates refused: not signed by the CAs or no expected subjectAltName")
			.tag("upstream", upstream)
			.register(meters);
		Counter reloadFailures = Counter.builder("meshgate.tls.reload.failures")
			.description("Changed TLS files refused (unreadable, mismatched or expired); the old material stays")
			.tag("upstream", upstream)
			.register(meters);
		return new UpstreamTls(upstream, policy, client, clock, handshakeFailures, reloadFailures);
	}

}
