package io.meshgate.policy.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Cleartext HTTP/2 with prior knowledge ({@link H2cPriorKnowledge}), WebSocket over HTTP/2
 * ({@link ExtendedConnect}) and bounds on what an ingress
 * client can hold: the request headers and body deadlines
 * ({@link IngressProperties}) and the guards against broken framing: HTTP/1.1 requests
 * ({@link Http1RequestGuard}), HTTP/2 streams ({@link Http2StreamGuard}); and no keep-alive
 * connection left open by the graceful shutdown ({@link KeepAliveDrain}).
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
 *
 * <p>Reactor Netty's request timeout is one setting for HTTP/1.1 and HTTP/2: it schedules a task
 * per HTTP/1.1 request too ({@code HttpServerOperations.startReadTimeout}, cancelled at the last
 * body byte), beside {@link Http1RequestGuard}'s one task per connection. It stays because HTTP/2
 * streams have no other body deadline and the setting cannot be limited to them; the HTTP/1.1
 * guard closes at the same moment (it is armed first, at the same headers) and is the one that
 * also covers headers and answered requests, and counts.
 */
public final class IngressConnections implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private final IngressProperties ingress;

	private final IngressFailures failures;

	private final KeepAliveDrain drain;

	public IngressConnections(IngressProperties ingress, IngressFailures failures, KeepAliveDrain drain) {
		this.ingress = ingress;
		this.failures = failures;
		this.drain = drain;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(this::apply);
	}

	HttpServer apply(HttpServer server) {
		Http2StreamGuard streams = new Http2StreamGuard(failures);
		boolean priorKnowledge = ingress.h2cPriorKnowledge() && H2cPriorKnowledge.applies(server);
		HttpServer http2 = ExtendedConnect.enable(priorKnowledge ? H2cPriorKnowledge.enable(server) : server);
		return drain.apply(http2)
			.requestTimeout(ingress.requestBodyTimeout())
			.doOnChannelInit((observer, channel, remote) -> {
				if (priorKnowledge) {
					H2cPriorKnowledge.refuseUpgrade(channel.pipeline());
				}
				guard(channel);
			})
			.doOnConnection(request -> {
				// called once per request; an HTTP/2 request has a channel of its own, its stream
				if (request.channel() instanceof Http2StreamChannel stream) {
					stream.pipeline().addFirst(Http2StreamGuard.NAME, streams);
				}
			});
	}

	/**
	 * The HTTP/1.1 request guard (deadlines, broken chunks refused), right where the decoded request
	 * enters Reactor Netty, and its request start watcher right in front of the decoder: at once
	 * where the HTTP/1.1 pipeline exists when the connection opens (cleartext, with or without h2c;
	 * TLS without ALPN), or once ALPN has chosen HTTP/1.1. With h2c, the watcher sits behind the
	 * prior-knowledge detector, so an HTTP/2 connection's bytes never reach it.
	 */
	private void guard(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
			install(pipeline);
		}
		else if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
			pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, GuardAfterAlpn.NAME, new GuardAfterAlpn());
		}
	}

	private void install(ChannelPipeline pipeline) {
		Http1RequestGuard guard = new Http1RequestGuard(ingress.requestHeaderTimeout(), ingress.requestBodyTimeout(),
				failures);
		String decoder = pipeline.context(HttpServerCodec.class).name();
		pipeline.addBefore(NettyPipeline.HttpTrafficHandler, Http1RequestGuard.NAME, guard)
			.addBefore(decoder, Http1RequestGuard.RequestStart.NAME, guard.requestStart());
	}

	/**
	 * Waits behind the ALPN handler, which builds the HTTP/1.1 (or HTTP/2) pipeline once the TLS
	 * handshake chose a protocol and only then passes on what it read: at the first read the
	 * pipeline is complete, so the guard goes in (HTTP/1.1) and this handler leaves.
	 */
	private final class GuardAfterAlpn extends ChannelInboundHandlerAdapter {

		static final String NAME = "meshgate.http1RequestGuardAfterAlpn";

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ChannelPipeline pipeline = ctx.pipeline();
			if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(Http1RequestGuard.NAME) == null) {
				install(pipeline);
			}
			pipeline.remove(this);
			ctx.fireChannelRead(msg);
		}

	}

}
