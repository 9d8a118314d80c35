package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.netty.channel.ChannelOperations;

/**
 * Sits right behind an HTTP/1.1 connection's decoder and watches each request body: it must end
 * within {@code meshgate.ingress.request-body-timeout}, and it must decode.
 *
 * <p><b>Deadline.</b> From a request's headers to the last byte of its body; when it passes, the
 * body stream fails, the connection is closed and {@code meshgate.ingress.timeouts{phase=body}}
 * counts it, whether a route is reading the body, proxying it, or already answered. (Reactor
 * Netty's request timeout, set to the same value, closes too; this one is armed first and
 * counts.)
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
final class RequestBodyGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "meshgate.requestBodyGuard";

	private final long timeoutNanos;

	private final IngressFailures failures;

	private ScheduledFuture<?> deadline;

	/** The decoder discards the rest of a connection once its framing broke, but can report it again. */
	private boolean broken;

	RequestBodyGuard(Duration timeout, IngressFailures failures) {
		this.timeoutNanos = timeout.toNanos();
		this.failures = failures;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest) {
			if (!(msg instanceof FullHttpRequest)) {
				disarm();
				deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
			}
		}
		else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
			fail(ctx, content);
			return;
		}
		else if (msg instanceof LastHttpContent) {
			disarm();
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		disarm();
		super.channelInactive(ctx);
	}

	private void disarm() {
		if (deadline != null) {
			deadline.cancel(false);
			deadline = null;
		}
	}

	private void expire(ChannelHandlerContext ctx) {
		deadline = null;
		if (!ctx.channel().isActive()) {
			return;
		}
		failures.bodyTimedOut();
		if (ChannelOperations.get(ctx.channel()) != null) {
			ctx.fireExceptionCaught(new RequestBodyTimeoutException());
		}
		ctx.close();
	}

	private void fail(ChannelHandlerContext ctx, HttpContent content) {
		Throwable cause = content.decoderResult().cause();
		content.release();
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

}
