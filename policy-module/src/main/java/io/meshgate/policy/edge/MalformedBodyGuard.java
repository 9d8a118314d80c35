package io.meshgate.policy.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import reactor.netty.channel.ChannelOperations;

/**
 * Sits right behind an HTTP/1.1 connection's decoder and turns a body chunk that failed to
 * decode into an error of the request's body stream.
 *
 * <p>Reactor Netty answers such a chunk 400 itself and then ends the request body normally (it
 * disposes the inbound, whose subscriber sees a completion), so a proxied request reached its
 * upstream complete and well terminated. Here the chunk never reaches Reactor Netty: the body
 * stream fails with {@link MalformedRequestException}, the upstream call carrying it is aborted,
 * and the gateway's error handler answers 400 and closes the connection. A bad chunk that
 * arrives with no request in progress closes the connection.
 *
 * <p>The decoder reports a client that closes in the middle of a chunked body the same way
 * ({@link PrematureChannelClosureException}): that body fails too, but is not counted as malformed.
 */
final class MalformedBodyGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "meshgate.malformedBodyGuard";

	private final IngressFailures failures;

	/** The decoder discards the rest of a connection once its framing broke, but can report it again. */
	private boolean broken;

	MalformedBodyGuard(IngressFailures failures) {
		this.failures = failures;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof HttpContent content) || msg instanceof HttpRequest || content.decoderResult().isSuccess()) {
			ctx.fireChannelRead(msg);
			return;
		}
		Throwable cause = content.decoderResult().cause();
		content.release();
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
