package io.meshgate.policy.l4.proxy;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The last handler of a connection relayed by TLS passthrough: holds the first close that comes
 * from outside the relay for the shutdown grace period. The HTTPS listener's graceful shutdown
 * (Reactor Netty's {@code disposeNow} over the server's channel group) closes at once every
 * connection it sees no HTTP request on, relayed ones included; held, such a connection drains as
 * a TCP route's does ({@link L4Proxy#drain}), and ends when the relay ends it or when the grace
 * period is over. A second close from outside (the drain's own, at its end) passes. The relay's
 * own closes start at its handler, before this one, and never pass here. Only {@code close} is
 * overridden: Netty skips this handler for every other event.
 */
final class PassthroughCloseGuard extends ChannelOutboundHandlerAdapter {

	static final String NAME = "meshgate.l4.closeGuard";

	private final long graceNanos;

	private boolean held;

	PassthroughCloseGuard(long graceNanos) {
		this.graceNanos = graceNanos;
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (held || graceNanos <= 0 || !ctx.channel().isActive()) {
			ctx.close(promise);
			return;
		}
		held = true;
		ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
			ctx.close(promise);
		}, graceNanos, TimeUnit.NANOSECONDS);
		ctx.channel().closeFuture().addListener(closed -> {
			timer.cancel(false);
			promise.trySuccess();
		});
	}

}
