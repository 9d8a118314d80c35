package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.channel.ChannelOperations;

import io.meshgate.policy.error.MalformedRequestException;
import io.meshgate.policy.error.RequestBodyTimeoutException;

/**
 * Sits right behind an HTTP/1.1 connection's decoder and bounds each request: its headers must be
 * decoded within {@code meshgate.ingress.request-header-timeout} of its first byte, its body must
 * end within {@code meshgate.ingress.request-body-timeout} of its headers, and its body must decode.
 *
 * <p><b>Headers deadline.</b> As Envoy's {@code request_headers_timeout}: it starts with the first
 * byte of a request ({@link #requestStart()}, a handler in front of the decoder, tells), so a
 * keep-alive connection waiting for its next request is governed by {@code server.netty.idle-timeout}
 * alone. When it passes, the connection is closed (nothing is answered: the request is not known
 * yet) and {@code meshgate.ingress.timeouts{phase=headers}} counts it. Reactor Netty's idle
 * timeout sits behind the decoder, which emits nothing until the headers are complete, so header
 * bytes do not restart it: it bounds a trickle too, but only {@code server.netty.idle-timeout}
 * (60 s) after the connection opened or answered its last request, uncounted, and not at all
 * where it is unset.
 *
 * <p><b>Body deadline.</b> From a request's headers to the last byte of its body; when it passes,
 * the body stream fails, the connection is closed and {@code meshgate.ingress.timeouts{phase=body}}
 * counts it, whether a route is reading the body, proxying it, or already answered.
 *
 * <p><b>One timer per connection.</b> Both phases share one scheduled task. A phase moves a
 * deadline (a field write); the task, when it fires early, schedules itself again for what is
 * left, and when it finds no request in progress it ends. A connection serving requests back to
 * back thus schedules at most one task per header timeout period, not one per request. (Reactor
 * Netty's {@code requestTimeout} still schedules one per HTTP/1.1 request: it is one setting for
 * HTTP/1.1 and HTTP/2 alike, and HTTP/2 streams need it; see {@link IngressConnections}.)
 *
 * <p><b>Broken chunks.</b> Reactor Netty answers a chunk that fails to decode with 400 and then
 * ends the request body normally (it disposes the inbound, whose subscriber sees a completion),
 * so a proxied request reached its upstream complete and well terminated. Here the chunk never
 * reaches Reactor Netty: the body stream fails with {@link MalformedRequestException}, the upstream
 * call carrying it is aborted, and the gateway's error handler answers 400 and closes the
 * connection. The decoder reports a client that closes in the middle of a chunked body the same
 * way ({@link PrematureChannelClosureException}): that body fails too, but is not counted as
 * malformed.
 */
final class Http1RequestGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "meshgate.http1RequestGuard";

	private enum Phase {

		/** Between requests: the idle timeout's time. */
		IDLE,

		/** From a request's first byte to its decoded headers. */
		HEADERS,

		/** From a request's headers to its last body byte. */
		BODY

	}

	private final long headersNanos;

	private final long bodyNanos;

	private final IngressFailures failures;

	private final Runnable check = this::check;

	private ChannelHandlerContext ctx;

	private Phase phase = Phase.IDLE;

	/** When the current phase must end ({@link System#nanoTime()}). */
	private long deadline;

	/** Fires at {@link #timerAt}, never after {@link #deadline}; null when no task is scheduled. */
	private ScheduledFuture<?> timer;

	private long timerAt;

	/** The decoder discards the rest of a connection once its framing broke, but can report it again. */
	private boolean broken;

	Http1RequestGuard(Duration headersTimeout, Duration bodyTimeout, IngressFailures failures) {
		this.headersNanos = headersTimeout.toNanos();
		this.bodyNanos = bodyTimeout.toNanos();
		this.failures = failures;
	}

	/** The handler to put in front of the decoder: it reports each request's first byte to this guard. */
	RequestStart requestStart() {
		return new RequestStart();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest) {
			if (msg instanceof FullHttpRequest) {
				phase = Phase.IDLE;
			}
			else {
				phase = Phase.BODY;
				arm(System.nanoTime() + bodyNanos);
			}
		}
		else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
			fail(ctx, content);
			return;
		}
		else if (msg instanceof LastHttpContent) {
			phase = Phase.IDLE;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof HttpServerUpgradeHandler.UpgradeEvent) {
			// h2c by upgrade: the connection speaks HTTP/2 from now on, with no HTTP/1.1 request left
			phase = Phase.IDLE;
			disarm();
			if (ctx.pipeline().get(RequestStart.NAME) != null) {
				ctx.pipeline().remove(RequestStart.NAME);
			}
			ctx.pipeline().remove(this);
		}
		super.userEventTriggered(ctx, event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		phase = Phase.IDLE;
		disarm();
		super.channelInactive(ctx);
	}

	private void arm(long at) {
		deadline = at;
		if (timer != null && timerAt - at <= 0) {
			return; // it fires first and moves itself on to the deadline
		}
		disarm();
		schedule(at, System.nanoTime());
	}

	private void schedule(long at, long now) {
		timerAt = at;
		timer = ctx.executor().schedule(check, at - now, TimeUnit.NANOSECONDS);
	}

	private void disarm() {
		if (timer != null) {
			timer.cancel(false);
			timer = null;
		}
	}

	private void check() {
		timer = null;
		if (phase == Phase.IDLE || !ctx.channel().isActive()) {
			return;
		}
		long now = System.nanoTime();
		if (now - deadline < 0) {
			schedule(deadline, now);
		}
		else if (phase == Phase.HEADERS) {
			phase = Phase.IDLE;
			failures.headersTimedOut();
			ctx.close();
		}
		else {
			phase = Phase.IDLE;
			failures.bodyTimedOut();
			if (ChannelOperations.get(ctx.channel()) != null) {
				ctx.fireExceptionCaught(new RequestBodyTimeoutException());
			}
			ctx.close();
		}
	}

	private void fail(ChannelHandlerContext ctx, HttpContent content) {
		Throwable cause = content.decoderResult().cause();
		content.release();
		phase = Phase.IDLE;
		disarm();
		if (broken) {
			return;
		}
		broken = true;
		if (!(cause instanceof PrematureChannelClosureException)) {
			failures.malformed(false);
		}
		if (ChannelOperations.get(ctx.channel()) == null) {
			ctx.close();
			return;
		}
		ctx.fireExceptionCaught(new MalformedRequestException(cause));
	}

	/**
	 * In front of the decoder: the first bytes read while no request is in progress start one, and
	 * its headers deadline. Costs a field check per read.
	 */
	final class RequestStart extends ChannelInboundHandlerAdapter {

		static final String NAME = "meshgate.http1RequestStart";

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (phase == Phase.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
				phase = Phase.HEADERS;
				arm(System.nanoTime() + headersNanos);
			}
			ctx.fireChannelRead(msg);
		}

	}

}
