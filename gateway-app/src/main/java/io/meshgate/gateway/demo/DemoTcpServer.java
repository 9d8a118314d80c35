package io.meshgate.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The demo's TCP service on Reactor Netty's TCP server: on connect it writes its endpoint's name
 * and a newline (so a client sees which endpoint the TCP route chose), then echoes every byte it
 * receives; the client's FIN closes the connection once everything before it is echoed.
 */
public final class DemoTcpServer {

	private DemoTcpServer() {
	}

	public static DisposableServer start(String host, int port, String endpoint) {
		return TcpServer.create()
			.host(host)
			.port(port)
			// the client's FIN ends the echo, not the connection: Echo closes it after the last byte
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.doOnConnection(connection -> connection.addHandlerFirst(new Echo(endpoint)))
			.handle((in, out) -> Mono.never())
			.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * A Netty handler, because Reactor Netty's inbound does not end at a half-close: echoes each
	 * read, reads only while the echo can be written (a client that does not read stalls), and
	 * answers the FIN with a close queued behind the echoes.
	 */
	private static final class Echo extends ChannelInboundHandlerAdapter {

		private final String endpoint;

		Echo(String endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			ctx.writeAndFlush(Unpooled.copiedBuffer(endpoint + "\n", StandardCharsets.US_ASCII));
			// Reactor Netty reads only on demand of an inbound subscriber, which this server has not:
			// without this, bytes are read only when the client's FIN forces the rest in
			ctx.channel().config().setAutoRead(true);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			ctx.writeAndFlush(message);
			ctx.channel().config().setAutoRead(ctx.channel().isWritable());
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			ctx.channel().config().setAutoRead(ctx.channel().isWritable());
			ctx.fireChannelWritabilityChanged();
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof ChannelInputShutdownEvent) {
				ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
			}
			ctx.fireUserEventTriggered(event);
		}

	}

	/** Runs the demo's TCP echo on its own: {@code DEMO_PORT=9002 DEMO_ENDPOINT=demo-tcp-a}. */
	public static void main(String[] args) {
		String endpoint = System.getenv().getOrDefault("DEMO_ENDPOINT", "demo-tcp");
		int port = Integer.parseInt(System.getenv().getOrDefault("DEMO_PORT", "9002"));
		DisposableServer server = start(System.getenv().getOrDefault("DEMO_HOST", "0.0.0.0"), port, endpoint);
		System.out.println("Demo TCP echo " + endpoint + " on port " + server.port());
		server.onDispose().block();
	}

}
