package io.meshgate.policy.l4.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Relays one client connection to one backend endpoint, bytes untouched both ways. Installed as
 * the last handler of the client's channel: on a TCP route's listener when the connection opens,
 * on the HTTPS port when the ClientHello named a passthrough host (the bytes read so far follow
 * it). Invariants:
 * <ul>
 * <li>back-pressure: a side reads only while the other side is writable (auto-read follows the
 * other channel's writability), so a slow reader holds at most a channel's write buffer
 * (its high water mark) in the gateway;</li>
 * <li>half-close: a FIN from one side is passed on as a shutdown of output to the other, and the
 * connection closes once both sides have finished sending (or either closes);</li>
 * <li>bounds: the route's connection slot is taken before anything else, the backend connect has
 * the route's connect timeout, and no byte moving either way for the idle timeout closes both;</li>
 * <li>both channels run on the client channel's event loop: no state here is shared across threads.</li>
 * </ul>
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {

	private static final Log log = LogFactory.getLog(TcpRelay.class);

	static final String NAME = "meshgate.l4.relay";

	private static final String IDLE = "meshgate.l4.idle";

	private final L4Route route;

	private final AddressResolverGroup<?> resolver;

	private Channel inbound;

	private Channel outbound;

	private L4Route.Choice choice;

	/** What the client sent before the backend connection opened; bounded: reads stop until then. */
	private final Queue<Object> pending = new ArrayDeque<>();

	private boolean started;

	private boolean admitted;

	private boolean finished;

	private boolean clientDone;

	private boolean backendDone;

	private long openedNanos;

	private long upstreamBytes;

	private long downstreamBytes;

	TcpRelay(L4Route route, AddressResolverGroup<?> resolver) {
		this.route = route;
		this.resolver = resolver;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		start(ctx);
	}

	private void start(ChannelHandlerContext ctx) {
		if (started) {
			return;
		}
		started = true;
		openedNanos = System.nanoTime();
		inbound = ctx.channel();
		inbound.config().setAutoRead(false);
		inbound.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
		ctx.pipeline().addBefore(ctx.name(), IDLE,
				new IdleStateHandler(0, 0, route.policy().idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
		if (!route.admit()) {
			closeInbound();
			return;
		}
		admitted = true;
		choice = route.choose((InetSocketAddress) inbound.remoteAddress());
		if (choice == null) {
			closeInbound();
			return;
		}
		choice.endpoint().sessionOpened();
		Bootstrap bootstrap = new Bootstrap().group(inbound.eventLoop())
			.channelFactory(new ReflectiveChannelFactory<>(inbound.getClass()))
			.resolver(resolver)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) route.policy().connectTimeout().toMillis())
			.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.AUTO_READ, false)
			.handler(new Backend());
		bootstrap.connect(InetSocketAddress.createUnresolved(choice.endpoint().getHost(), choice.endpoint().getPort()))
			.addListener((ChannelFutureListener) this::connected);
	}

	private void connected(ChannelFuture future) {
		if (!future.isSuccess()) {
			choice.meters().connectFailures.increment();
			choice.upstream().recordAnswer(choice.endpoint(), 0);
			log.debug("L4 route " + route.name() + ": connect to " + choice.endpoint().address() + " failed: "
					+ future.cause());
			closeInbound();
			return;
		}
		choice.meters().connected.increment();
		choice.upstream().recordAnswer(choice.endpoint(), 200);
		outbound = future.channel();
		if (!inbound.isActive()) {
			outbound.close();
			return;
		}
		while (!pending.isEmpty()) {
			forwardUpstream(pending.poll());
		}
		outbound.flush();
		if (clientDone) {
			shutdownOutput(outbound);
		}
		else {
			inbound.config().setAutoRead(outbound.isWritable());
		}
		outbound.config().setAutoRead(inbound.isWritable());
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (outbound == null) {
			if (finished) {
				ReferenceCountUtil.release(msg);
			}
			else {
				pending.add(msg);
			}
			return;
		}
		forwardUpstream(msg);
	}

	private void forwardUpstream(Object msg) {
		upstreamBytes += size(msg);
		outbound.write(msg, outbound.voidPromise());
		if (!outbound.isWritable()) {
			inbound.config().setAutoRead(false);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (outbound != null) {
			outbound.flush();
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (outbound != null && !backendDone) {
			outbound.config().setAutoRead(inbound.isWritable());
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof ChannelInputShutdownEvent) {
			clientDone = true;
			inbound.config().setAutoRead(false);
			if (outbound != null) {
				shutdownOutput(outbound);
			}
			closeWhenBothDone();
		}
		else if (event instanceof IdleStateEvent) {
			closeBoth();
		}
		ReferenceCountUtil.release(event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (outbound != null) {
			closeAfterFlush(outbound);
		}
		finish();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		log.debug("L4 route " + route.name() + ": client connection failed: " + cause);
		closeBoth();
	}

	private void closeWhenBothDone() {
		if (clientDone && backendDone) {
			closeInboundAfterFlush();
			if (outbound != null) {
				closeAfterFlush(outbound);
			}
		}
	}

	private void closeBoth() {
		closeInbound();
		if (outbound != null) {
			outbound.close();
		}
	}

	/** Passes a FIN on once what was written before it reached the socket. */
	private static void shutdownOutput(Channel channel) {
		channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
			if (channel instanceof DuplexChannel duplex && channel.isActive()) {
				duplex.shutdownOutput();
			}
			else {
				channel.close();
			}
		});
	}

	private void closeInbound() {
		inbound.close();
	}

	private void closeInboundAfterFlush() {
		if (inbound.isActive()) {
			inbound.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> closeInbound());
		}
	}

	private static void closeAfterFlush(Channel channel) {
		if (channel.isActive()) {
			channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
	}

	/** Once, when the client's channel closed: the slot, the endpoint's open session and the meters. */
	private void finish() {
		if (finished) {
			return;
		}
		finished = true;
		pending.forEach(ReferenceCountUtil::release);
		pending.clear();
		if (admitted) {
			route.release();
		}
		if (choice != null) {
			choice.endpoint().sessionClosed();
			choice.meters().closed(openedNanos, upstreamBytes, downstreamBytes);
		}
	}

	private static long size(Object msg) {
		return msg instanceof ByteBuf buf ? buf.readableBytes()
				: msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
	}

	/** The backend side: its bytes go to the client, its FIN becomes the client's. */
	private final class Backend extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			downstreamBytes += size(msg);
			inbound.write(msg, inbound.voidPromise());
			if (!inbound.isWritable()) {
				outbound.config().setAutoRead(false);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			inbound.flush();
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			if (!clientDone) {
				inbound.config().setAutoRead(ctx.channel().isWritable());
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof ChannelInputShutdownEvent) {
				backendDone = true;
				ctx.channel().config().setAutoRead(false);
				shutdownOutput(inbound);
				closeWhenBothDone();
			}
			ReferenceCountUtil.release(event);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			closeInboundAfterFlush();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			log.debug("L4 route " + route.name() + ": backend connection failed: " + cause);
			closeBoth();
		}

	}

}
