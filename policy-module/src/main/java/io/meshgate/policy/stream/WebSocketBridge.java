package io.meshgate.policy.stream;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * One proxied WebSocket session: the client switched with what the upstream chose, then every
 * frame passed on as it came, in both directions, unchanged (text, binary, continuation, ping and
 * pong: neither side's pings are answered by the gateway), and the first close passed on:
 * <ul>
 * <li>a close frame with its code and reason, as soon as it arrives (the frames before it were
 * passed on before it);</li>
 * <li>an empty close frame, or a connection that ends without a close frame, as an empty close
 * frame (its peer sees 1005, no status);</li>
 * <li>no frame either way for the upstream's {@code webSocket.idleTimeout}: both sides get 1001.</li>
 * </ul>
 * The session counts in flight at its endpoint until it ends, so that least-request balancing
 * sees open sessions.
 */
public final class WebSocketBridge {

	/** The close reason both sides get when the session was idle too long: fixed, Meshgate's own. */
	static final String IDLE_REASON = "idle timeout";

	private static final String IDLE_HANDLER = "meshgate.webSocketIdle";

	/** Upstream handshake response headers that belong to the handshake or the connection, not to the client. */
	private static final Set<String> NOT_PASSED = Set.of("connection", "upgrade", "keep-alive", "content-length",
			"transfer-encoding", "proxy-connection", "te", "trailer");

	private WebSocketBridge() {
	}

	/**
	 * Switches the client to WebSocket and starts the bridge; completes once the client's
	 * handshake is written. The session runs on after that, on its own.
	 */
	public static Mono<Void> open(ServerWebExchange exchange, Connection upstream, WebsocketInbound upstreamInbound,
			WebSocketPolicy policy, UpstreamEndpoint endpoint) {
		ServerHttpResponse response = exchange.getResponse();
		HttpServerResponse server = ServerHttpResponseDecorator.getNativeResponse(response);
		// HTTP/2 has no 101: an extended CONNECT is accepted with 200 (RFC 8441, section 5)
		response.setStatusCode(WebSocketHandshake.extendedConnect(exchange.getRequest()) ? HttpStatus.OK
				: HttpStatus.SWITCHING_PROTOCOLS);
		HttpHeaders headers = response.getHeaders();
		upstreamInbound.headers().forEach(header -> {
			String name = header.getKey();
			if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT))
					&& !name.regionMatches(true, 0, "sec-websocket-", 0, 14)) {
				headers.add(name, header.getValue());
			}
		});
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
			.handlePing(false)
			.maxFramePayloadLength(policy.maxFramePayloadLength());
		String selected = upstreamInbound.selectedSubprotocol();
		if (selected != null) {
			spec.protocols(selected);
		}
		// the response's commit actions (the route's response headers) run before the switch; the
		// switch runs on the client connection's event loop, not on the upstream's where the upstream
		// handshake completed: Reactor Netty binds an HTTP/2 stream's WebSocket operations in a
		// listener of the written handshake, and a listener added from another thread after the
		// write completed runs later, as a task of that loop: a frame the client sends at once on
		// the accepted stream can be read before it, by the request's operations, and is lost
		Mono<Void> handshake = Mono.defer(() -> withoutContentLength(server).sendWebsocket(
				(in, out) -> bridge(in, out, upstream, policy.idleTimeout(), endpoint), spec.build()));
		return response.setComplete()
			.then(handshake.subscribeOn(Schedulers.fromExecutor(((Connection) server).channel().eventLoop())))
			.doOnError(error -> upstream.dispose())
			.doOnCancel(upstream::dispose);
	}

	/** A 101 has no body and may not say it has (RFC 9110, 8.6); committing the empty response set one. */
	private static HttpServerResponse withoutContentLength(HttpServerResponse server) {
		server.responseHeaders().remove(HttpHeaderNames.CONTENT_LENGTH);
		return server;
	}

	private static Mono<Void> bridge(WebsocketInbound clientIn, WebsocketOutbound clientOut, Connection upstream,
			Duration idleTimeout, UpstreamEndpoint endpoint) {
		WebsocketInbound upstreamIn = (WebsocketInbound) upstream;
		WebsocketOutbound upstreamOut = (WebsocketOutbound) upstream;
		Connection client = (Connection) clientIn;
		if (endpoint != null) {
			endpoint.sessionOpened();
		}
		// reads and writes on the client's connection are the frames of both directions
		client.addHandlerLast(IDLE_HANDLER, new IdleClose(idleTimeout, () -> {
			clientOut.sendClose(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), IDLE_REASON).subscribe();
			upstreamOut.sendClose(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), IDLE_REASON).subscribe();
		}));
		Mono<Void> toUpstream = upstreamOut.sendObject(clientIn.receiveFrames().map(WebSocketFrame::retain))
			.then()
			.onErrorResume(error -> Mono.empty());
		Mono<Void> toClient = clientOut.sendObject(upstreamIn.receiveFrames().map(WebSocketFrame::retain))
			.then()
			.onErrorResume(error -> Mono.empty());
		// a close is passed on as soon as it arrives, before either side's connection ends: when a
		// connection ends, Reactor Netty cancels the frames flowing into it, and a cancelled
		// session closes its other side with an empty close frame of its own
		Mono<Void> closeUpstream = closeOf(clientIn).flatMap(status -> forwardClose(status.orElse(null), upstreamOut));
		Mono<Void> closeClient = closeOf(upstreamIn).flatMap(status -> forwardClose(status.orElse(null), clientOut));
		return Mono.whenDelayError(closeUpstream, closeClient, toUpstream, toClient)
			.onErrorResume(error -> Mono.empty())
			.doFinally(signal -> {
				upstream.dispose();
				if (endpoint != null) {
					endpoint.sessionClosed();
				}
			});
	}

	/** The close a side sent, or nothing when its connection ended without one. */
	private static Mono<Optional<WebSocketCloseStatus>> closeOf(WebsocketInbound side) {
		return side.receiveCloseStatus().map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	/**
	 * Passes a close on to the other side: the code and reason as they came; an empty close frame
	 * as an empty one, and so a connection that ended without a close frame ({@code null}, or
	 * 1006 from Reactor Netty), which is what Reactor Netty sends for it in any case.
	 */
	private static Mono<Void> forwardClose(WebSocketCloseStatus status, WebsocketOutbound to) {
		if (status == null || status.code() == WebSocketCloseStatus.ABNORMAL_CLOSURE.code()
				|| status.code() == WebSocketCloseStatus.EMPTY.code()) {
			return to.sendClose().onErrorResume(error -> Mono.empty());
		}
		try {
			return to.sendClose(status.code(), status.reasonText()).onErrorResume(error -> Mono.empty());
		}
		catch (IllegalArgumentException ex) {
			// a code that may not be sent in a frame (the decoder lets none of them in)
			return to.sendClose().onErrorResume(error -> Mono.empty());
		}
	}

	/** Runs {@code onIdle} when the connection neither read nor wrote anything for the timeout. */
	private static final class IdleClose extends IdleStateHandler {

		private final Runnable onIdle;

		IdleClose(Duration timeout, Runnable onIdle) {
			super(0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
			this.onIdle = onIdle;
		}

		@Override
		protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
			onIdle.run();
		}

	}

}
