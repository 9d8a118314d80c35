package io.meshgate.policy.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Bounds what an ingress client can hold: the request body deadline ({@link IngressProperties}) and the
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

	private final IngressProperties ingress;

	private final IngressFailures failures;

	public IngressConnections(IngressProperties ingress, IngressFailures failures) {
		this.ingress = ingress;
		this.failures = failures;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers(this::apply);
	}

	HttpServer apply(HttpServer server) {
		Http2StreamGuard streams = new Http2StreamGuard(failures);
		return server.requestTimeout(ingress.requestBodyTimeout())
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
	 * request enters Reactor Netty: at once where the HTTP/1.1 pipeline exists when the connection
	 * opens (cleartext, with or without h2c; TLS without ALPN), or once ALPN has chosen HTTP/1.1.
	 */
	private void guard(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
			pipeline.addBefore(NettyPipeline.HttpTrafficHandler, RequestBodyGuard.NAME, newGuard());
		}
		else if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
			pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, GuardAfterAlpn.NAME, new GuardAfterAlpn());
		}
	}

	private RequestBodyGuard newGuard() {
		return new RequestBodyGuard(ingress.requestBodyTimeout(), failures);
	}

	/**
	 * Waits behind the ALPN handler, which builds the HTTP/1.1 (or HTTP/2) pipeline once the TLS
	 * handshake chose a protocol and only then passes on what it read: at the first read the
	 * pipeline is complete, so the guard goes in (HTTP/1.1) and this handler leaves.
	 */
	private final class GuardAfterAlpn extends ChannelInboundHandlerAdapter {

		static final String NAME = "meshgate.requestBodyGuardAfterAlpn";

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ChannelPipeline pipeline = ctx.pipeline();
			if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(RequestBodyGuard.NAME) == null) {
				pipeline.addBefore(NettyPipeline.HttpTrafficHandler, RequestBodyGuard.NAME, newGuard());
			}
			pipeline.remove(this);
			ctx.fireChannelRead(msg);
		}

	}

}
