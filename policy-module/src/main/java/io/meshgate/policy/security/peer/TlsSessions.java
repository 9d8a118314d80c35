package io.meshgate.policy.security.peer;

import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * What the TLS of the connection a request arrived on says ({@link PeerConnection}), found once
 * per connection: the connection's first request looks for the {@link SslHandler} in its pipeline
 * (the parent connection's, for an HTTP/2 stream) and keeps the finding in a channel attribute, so
 * the next requests read one attribute; a plain-text connection keeps "no TLS" and pays that read
 * alone. Spring's {@code SslInfo} has the peer's certificates only; the session also has the
 * certificate the gateway served (XFCC's {@code By}) and the SNI name the client asked for (the
 * misdirected-request check).
 */
final class TlsSessions {

	private static final AttributeKey<Known> KNOWN = AttributeKey.valueOf(TlsSessions.class, "known");

	/** A connection without TLS. */
	private static final Known PLAIN = new Known(null, null, null);

	private TlsSessions() {
	}

	/** The connection's TLS; null for a plain-text request, or a request not served by Reactor Netty. */
	static PeerConnection of(ServerHttpRequest request) {
		Object nativeRequest;
		try {
			nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException | IllegalStateException notNetty) {
			return null;
		}
		return nativeRequest instanceof Connection connection ? of(connection.channel()) : null;
	}

	/** The TLS of the connection {@code channel} (a connection, or an HTTP/2 stream) belongs to; null without. */
	static PeerConnection of(Channel channel) {
		Channel connection = channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
		Attribute<Known> attribute = connection.attr(KNOWN);
		Known known = attribute.get();
		if (known == null) {
			SslHandler ssl = connection.pipeline().get(SslHandler.class);
			known = ssl == null ? PLAIN : Known.of(ssl, ssl.engine().getSession());
			attribute.set(known);
		}
		if (known == PLAIN) {
			return null;
		}
		SSLSession session = known.ssl().engine().getSession();
		if (session != known.session()) {
			// a renegotiation (TLS 1.2) gave the connection a new session, perhaps another certificate
			known = Known.of(known.ssl(), session);
			attribute.set(known);
		}
		return known.peer();
	}

	/** A connection's TLS handler, the session it had when last asked, and what that session says. */
	private record Known(SslHandler ssl, SSLSession session, PeerConnection peer) {

		static Known of(SslHandler ssl, SSLSession session) {
			return new Known(ssl, session, PeerConnection.of(session));
		}

	}

}
