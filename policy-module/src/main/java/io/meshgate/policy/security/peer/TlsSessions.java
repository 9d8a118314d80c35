package io.meshgate.policy.security.peer;

import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The TLS session a request arrived on, read from Reactor Netty's connection: the {@link SslHandler}
 * of the request's channel, or of its parent for an HTTP/2 stream. Spring's {@code SslInfo} has the
 * peer's certificates only; the session also has the certificate the gateway served (XFCC's
 * {@code By}) and the SNI name the client asked for (the misdirected-request check), and keeps
 * values, so what is derived from it is derived once per session.
 */
final class TlsSessions {

	private TlsSessions() {
	}

	/** The session; null for a plain-text request, or a request not served by Reactor Netty. */
	static SSLSession of(ServerHttpRequest request) {
		Object nativeRequest;
		try {
			nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException | IllegalStateException notNetty) {
			return null;
		}
		if (!(nativeRequest instanceof Connection connection)) {
			return null;
		}
		Channel channel = connection.channel();
		SslHandler ssl = channel.pipeline().get(SslHandler.class);
		if (ssl == null && channel.parent() != null) {
			ssl = channel.parent().pipeline().get(SslHandler.class);
		}
		return ssl == null ? null : ssl.engine().getSession();
	}

}
