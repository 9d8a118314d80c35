package io.meshgate.policy.edge;

import java.util.Arrays;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * Cleartext HTTP/2 with prior knowledge on an ingress port: a client that opens the connection with
 * HTTP/2's preface (a gRPC plaintext channel) speaks HTTP/2; every other connection is HTTP/1.1.
 *
 * <p>Reactor Netty takes prior knowledge only together with HTTP/1.1's {@code Upgrade: h2c}
 * (protocols {@code HTTP11} and {@code H2C}: Netty's {@code CleartextHttp2ServerUpgradeHandler}
 * puts a preface detector, the HTTP/1.1 codec and an upgrade handler in the pipeline). The upgrade
 * stays refused here: a proxy in front that passes {@code Upgrade} on would let its clients speak
 * HTTP/2 to the gateway past the proxy's own checks (h2c smuggling), and it would switch ordinary
 * HTTP/1.1 clients that offer it. So once the first HTTP/1.1 bytes pass the decoder, the upgrade
 * handler leaves the pipeline; {@code Upgrade} is then a hop-by-hop header like any other, and
 * HTTP/1.1 connections pay nothing per request for HTTP/2.
 */
final class H2cPriorKnowledge {

	static final String NAME = "meshgate.h2cUpgradeRefusal";

	private static final ChannelHandler REFUSAL = new UpgradeRefusal();

	private H2cPriorKnowledge() {
	}

	/**
	 * Whether {@code server} is one that prior knowledge is added to: cleartext HTTP/1.1 without
	 * h2c of its own ({@code server.http2.enabled} gives Reactor Netty's h2c with the upgrade).
	 */
	static boolean applies(HttpServer server) {
		HttpProtocol[] protocols = server.configuration().protocols();
		return !server.configuration().isSecure() && Arrays.asList(protocols).contains(HttpProtocol.HTTP11)
				&& !Arrays.asList(protocols).contains(HttpProtocol.H2C);
	}

	static HttpServer enable(HttpServer server) {
		HttpProtocol[] protocols = server.configuration().protocols();
		HttpProtocol[] withH2c = Arrays.copyOf(protocols, protocols.length + 1);
		withH2c[protocols.length] = HttpProtocol.H2C;
		return server.protocol(withH2c);
	}

	/** Puts the refusal in front of the connection's upgrade handler (none on TLS connections). */
	static void refuseUpgrade(ChannelPipeline pipeline) {
		ChannelHandlerContext upgrade = pipeline.context(HttpServerUpgradeHandler.class);
		if (upgrade != null) {
			pipeline.addBefore(upgrade.name(), NAME, REFUSAL);
		}
	}

	/**
	 * Between the HTTP/1.1 decoder and the upgrade handler: the first decoded message means the
	 * preface detector has chosen HTTP/1.1 and left, so the upgrade handler is no longer needed by
	 * it and goes, with this handler. On an HTTP/2 connection the detector removes the decoder and
	 * the upgrade handler itself and announces it; this handler then just leaves.
	 */
	@ChannelHandler.Sharable
	private static final class UpgradeRefusal extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ChannelPipeline pipeline = ctx.pipeline();
			if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
				pipeline.remove(HttpServerUpgradeHandler.class);
			}
			pipeline.remove(this);
			ctx.fireChannelRead(msg);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof PriorKnowledgeUpgradeEvent) {
				ctx.pipeline().remove(this);
			}
			ctx.fireUserEventTriggered(event);
		}

	}

}
