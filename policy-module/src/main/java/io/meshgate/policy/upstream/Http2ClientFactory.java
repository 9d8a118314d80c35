package io.meshgate.policy.upstream;

import java.util.ArrayList;
import java.util.List;

import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;

/**
 * The client HTTP/2 upstreams start from: the gateway's own HTTP client, built by Spring Cloud
 * Gateway's factory from the same properties and customizers (timeouts, proxy, resolver, pool
 * settings), on a pool of its own that multiplexes: a call opens a stream on a connection that
 * has room for one, and a new connection opens only when every connection to the endpoint has
 * as many streams open as its server allows ({@code SETTINGS_MAX_CONCURRENT_STREAMS}; Reactor
 * Netty's {@link Http2AllocationStrategy.Builder#strictConnectionReuse strict connection reuse}).
 * Reactor Netty's default opens a connection for every call that finds none ready, so a burst of
 * N calls leaves N connections, each carrying one call's frames in reads and writes of its own;
 * on one connection the frames of concurrent calls go out and come in together.
 * <p>
 * No cap beyond the gateway's pool's own ({@code spring.cloud.gateway.server.webflux.httpclient.pool}):
 * a long stream holds a stream slot, never a connection, and calls past a server's stream limit
 * go out on another connection rather than wait. Built on first use (only routes to HTTP/2
 * upstreams pay for it); its pool is disposed with the factory.
 */
public final class Http2ClientFactory implements AutoCloseable {

	private final MultiplexingFactory factory;

	private HttpClient client;

	public Http2ClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
			HttpClientSslConfigurer sslConfigurer, List<HttpClientCustomizer> customizers) {
		this.factory = new MultiplexingFactory(properties, serverProperties, sslConfigurer, customizers);
	}

	/** The client; the caller sets the HTTP version. */
	public synchronized HttpClient client() {
		if (client == null) {
			client = factory.createInstance();
		}
		return client;
	}

	@Override
	public synchronized void close() {
		if (factory.pool != null) {
			factory.pool.dispose();
		}
	}

	/**
	 * Spring Cloud Gateway's factory with a multiplexing pool. Not a bean itself: a bean of this
	 * type would stand in for the gateway's own factory, which is conditional on there being none.
	 */
	private static final class MultiplexingFactory extends HttpClientFactory {

		private ConnectionProvider pool;

		MultiplexingFactory(HttpClientProperties properties, ServerProperties serverProperties,
				HttpClientSslConfigurer sslConfigurer, List<HttpClientCustomizer> customizers) {
			// the parent sorts its customizers in place
			super(properties, serverProperties, sslConfigurer, new ArrayList<>(customizers));
		}

		/** Declared here so that the enclosing class, in this package, may call it. */
		@Override
		protected HttpClient createInstance() {
			return super.createInstance();
		}

		/** The gateway's pool with its connections' streams shared; a pool without pooling stays as it is. */
		@Override
		protected ConnectionProvider buildConnectionProvider(HttpClientProperties properties) {
			ConnectionProvider gateways = super.buildConnectionProvider(properties);
			ConnectionProvider.Builder builder = gateways.mutate();
			if (builder == null) {
				pool = gateways;
				return gateways;
			}
			gateways.dispose(); // it never opened a connection: only its settings are kept
			pool = builder.name(properties.getPool().getName() + "-h2")
				.allocationStrategy(Http2AllocationStrategy.builder()
					.maxConnections(gateways.maxConnections())
					.strictConnectionReuse(true)
					.build())
				.build();
			return pool;
		}

	}

}
