package io.meshgate.policy.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.NettyPipeline;

/**
 * One write per event-loop turn on an HTTP/2 connection, not one per frame: the connection's
 * flushes are held until its event loop has run the turn's I/O and every task queued in it
 * ({@link SingleThreadEventLoop#executeAfterEventLoopIteration}), then flushed once.
 *
 * <p>Reactor Netty and Netty's HTTP/2 child channels flush each of a stream's frames on its own,
 * each from a task of its own when the stream was written from another connection's read: a
 * proxied unary gRPC call wrote the upstream its request headers, its message and an empty
 * end-of-stream frame, and the client the response headers, the message and the trailers, six
 * {@code writev} calls where HTTP/1.1 makes two (bench/notes.md). Netty's own
 * {@code FlushConsolidationHandler} holds flushes only to the end of a read or to its next task,
 * which those frames' tasks come after. After {@link #FLUSHES_PER_WRITE} held flushes it writes
 * at once, and it writes what it holds before the connection closes or stops being writable, so
 * a long stream never waits past one turn.
 *
 * <p>HTTP/1.1 connections do not get it: Reactor Netty writes an HTTP/1.1 exchange's parts
 * together already.
 */
public final class Http2FlushConsolidation extends ChannelDuplexHandler {

	/** The handler's name in a connection's pipeline. */
	public static final String NAME = "meshgate.http2FlushConsolidation";

	/** Flushes held at most before one write goes out (Netty's FlushConsolidationHandler's default). */
	static final int FLUSHES_PER_WRITE = 256;

	private final Runnable endOfTurn = this::flushHeld;

	private ChannelHandlerContext context;

	private boolean scheduled;

	private int held;

	private Http2FlushConsolidation() {
	}

	/**
	 * Puts the handler on {@code connection}'s pipeline unless there already: behind TLS (so that
	 * one write is also one TLS record), else first. Not on an HTTP/2 stream's own channel,
	 * whose flushes go through its connection's.
	 */
	public static void install(Channel connection) {
		if (connection instanceof Http2StreamChannel) {
			return;
		}
		ChannelPipeline pipeline = connection.pipeline();
		if (pipeline.get(NAME) != null) {
			return;
		}
		if (pipeline.get(NettyPipeline.SslHandler) != null) {
			pipeline.addAfter(NettyPipeline.SslHandler, NAME, new Http2FlushConsolidation());
		}
		else {
			pipeline.addFirst(NAME, new Http2FlushConsolidation());
		}
	}

	/** Puts the handler on the connection that carries {@code stream}, once per connection. */
	public static void installFor(Http2StreamChannel stream) {
		install(stream.parent());
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		context = ctx;
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		EventLoop loop = ctx.channel().eventLoop();
		if (!(loop instanceof SingleThreadEventLoop turns) || ++held >= FLUSHES_PER_WRITE) {
			held = 0; // a turn's task still scheduled finds nothing held
			ctx.flush();
			return;
		}
		if (!scheduled) {
			scheduled = true;
			turns.executeAfterEventLoopIteration(endOfTurn);
		}
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		flushHeld();
		ctx.close(promise);
	}

	@Override
	public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
		flushHeld();
		ctx.disconnect(promise);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (!ctx.channel().isWritable()) {
			flushHeld();
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		flushHeld();
	}

	/** Writes what the turn's flushes held; a turn's task that finds nothing held does nothing. */
	private void flushHeld() {
		scheduled = false;
		if (held > 0) {
			held = 0;
			context.flush();
		}
	}

}
