package io.meshgate.policy.upstream;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

import io.meshgate.policy.discovery.EndpointSourceFactory;
import io.meshgate.policy.tls.UpstreamTlsFactory;

/**
 * What the registry needs to start an upstream's policies. Time and randomness are injected so
 * that tests can pin them.
 *
 * @param discovery opens sources for upstreams with a {@code discovery} block; {@code null} when
 * discovery is not available
 * @param random the load-balancing policies' randomness
 * @param nanoClock monotonic time for ejections and breakers ({@code System::nanoTime})
 * @param meters where policy counters go
 * @param httpClient the gateway's plain HTTP client (health checks of plain upstreams)
 * @param http2Client the gateway's client on a pool that multiplexes HTTP/2 connections
 * ({@link Http2ClientFactory}): what upstreams that speak HTTP/2 start from
 * @param tls opens the TLS of upstreams that have one
 * @param gatewayPorts the gateway's own ports, refused as endpoints on its own host
 */
public record UpstreamServices(EndpointSourceFactory discovery, RandomGenerator random, LongSupplier nanoClock,
		MeterRegistry meters, Supplier<HttpClient> httpClient,
		Supplier<HttpClient> http2Client, UpstreamTlsFactory tls, GatewayPorts gatewayPorts) {

}
