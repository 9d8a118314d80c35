package io.meshgate.policy.edge;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Bounds what an ingress client can hold: the request body deadline ({@link IngressLimits}) and the
 * guards against broken framing: HTTP/1.1 chunks ({@link RequestBodyGuard}), HTTP/2 streams
 * ({@link Http2StreamGuard}).
 *
 * <p>A {@link WebServerFactoryCustomizer} of the application context, not a Netty customizer bean:
 * the management server (a child context) applies only its own factory customizers, so the admin
 * port keeps its own settings, while the HTTPS listener, set up like the ingress port, gets these.
 *
 * <p>{@code server.netty.idle-timeout} does not bound a request body: Reactor Netty arms it only
 * between requests, so a request whose body never comes held its connection indefinitely.
 * Reactor Netty's request timeout runs from the request's headers to the end of its body, for
 * HTTP/1.1 and for each HTTP/2 stream; when it fires the body stream fails and the connection
 * (or stream) is closed.
 */
public final class IngressConnections implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private final IngressLimits limits;

	private final IngressFailures failures;

	public IngressConnections(IngressLimits limits, IngressFailures failures) {
		this.limits = limits;
		this.failures = failures;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(this::apply);
	}

	HttpServer apply(HttpServer server) {
		Http2StreamGuard streams = new Http2StreamGuard(failures);
		return server.requestTimeout(limits.requestBodyTimeout())
			.doOnChannelInit((observer, channel, remote) -> guard(channel))
			.doOnConnection(request -> {
				// called once per request; an HTTP/2 request has a channel of its own, its stream
				if (request.channel() instanceof Http2StreamChannel stream) {
					stream.pipeline().addFirst(Http2StreamGuard.NAME, streams);
				}
			});
	}

	/**
	 * The HTTP/1.1 body guard (deadline counted, broken chunks refused), right where the decoded
	 * request enters Reactor Netty, on connections whose HTTP/1.1 pipeline exists when they open:
	 * cleartext (with or without h2c) and TLS without ALPN. A protocol chosen later by ALPN builds
	 * its pipeline after this point and has Reactor Netty's request timeout only.
	 */
	private void guard(Channel channel) {
		if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
			channel.pipeline()
				.addBefore(NettyPipeline.HttpTrafficHandler, RequestBodyGuard.NAME,
						new RequestBodyGuard(limits.requestBodyTimeout(), failures));
		}
	}

}
