package io.meshgate.gateway.https;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import io.meshgate.gateway.https.ClientCertificateMetrics.Handshake;

/**
 * Counts a connection's TLS handshake by outcome, then leaves the pipeline: it sits right after
 * the TLS handler and sees only the handshake's completion event.
 */
final class HandshakeOutcomes extends ChannelInboundHandlerAdapter {

	static final String NAME = "meshgate.handshakeOutcomes";

	private final ClientCertificateMetrics metrics;

	HandshakeOutcomes(ClientCertificateMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion) {
			metrics.count(!completion.isSuccess() ? Handshake.FAILED
					: verified(ctx.pipeline().get(SslHandler.class)) ? Handshake.VERIFIED : Handshake.ANONYMOUS);
			ctx.pipeline().remove(this);
		}
		ctx.fireUserEventTriggered(event);
	}

	private static boolean verified(SslHandler ssl) {
		if (ssl == null) {
			return false;
		}
		try {
			return ssl.engine().getSession().getPeerCertificates().length > 0;
		}
		catch (SSLPeerUnverifiedException none) {
			return false;
		}
	}

}
