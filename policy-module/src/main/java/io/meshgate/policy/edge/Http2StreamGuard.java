package io.meshgate.policy.edge;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * First in each HTTP/2 stream's pipeline: a request the HTTP/2 codec finds malformed (its DATA
 * frames do not add up to its content-length) is reset with {@code RST_STREAM PROTOCOL_ERROR}, as
 * RFC 9113 §8.1.1 requires of a malformed request, logged in one line and counted as
 * {@code meshgate.ingress.malformed{protocol=h2}}.
 *
 * <p>The reset, not a 400: the codec's error reaches the request while a route may or may not be
 * reading its body; a reset ends the stream the same way in both cases, and the body stream of a
 * route reading it fails (the upstream call is aborted). Without this, the error went on to the
 * route as an unexpected failure: 500 and a stack trace per stream.
 */
@ChannelHandler.Sharable
final class Http2StreamGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "meshgate.http2StreamGuard";

	private static final Log log = LogFactory.getLog(Http2StreamGuard.class);

	private final IngressFailures failures;

	Http2StreamGuard(IngressFailures failures) {
		this.failures = failures;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Http2Exception streamError = streamError(cause);
		if (streamError == null) {
			ctx.fireExceptionCaught(cause);
			return;
		}
		failures.malformed(true);
		log.info("Malformed HTTP/2 request reset (PROTOCOL_ERROR): " + streamError.getMessage());
		ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR)).addListener(ChannelFutureListener.CLOSE);
	}

	private static Http2Exception streamError(Throwable cause) {
		for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof Http2Exception http2) {
				return http2;
			}
		}
		return null;
	}

}
