package io.meshgate.policy.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import org.reactivestreams.Publisher;

import io.meshgate.policy.testing.TestPki;

/**
 * A WebSocket server on loopback that echoes every data frame, speaks subprotocol {@code chat}
 * when offered, and keeps what it saw: the handshake's headers, the close status each session
 * ended with. A text frame {@code close:<code>:<reason>} makes it close the session with that
 * code and reason.
 */
final class WebSocketUpstream implements AutoCloseable {

	private final DisposableServer server;

	private final String scheme;

	/** The close status of each ended session, {@code null} for one that ended without a close frame. */
	final ConcurrentLinkedQueue<WebSocketCloseStatus> closes = new ConcurrentLinkedQueue<>();

	/** The request headers of each handshake, oldest first. */
	final ConcurrentLinkedQueue<io.netty.handler.codec.http.HttpHeaders> handshakes = new ConcurrentLinkedQueue<>();

	final AtomicInteger open = new AtomicInteger();

	private WebSocketUpstream(TestPki.Issued identity) {
		HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
		if (identity != null) {
			http = http.secure(spec -> {
				try {
					spec.sslContext(SslContextBuilder.forServer(identity.privateKey(), identity.certificate()).build());
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
		this.scheme = identity == null ? "http" : "https";
		WebsocketServerSpec chat = WebsocketServerSpec.builder().protocols("chat").build();
		this.server = http.route(routes -> routes.ws("/ws/chat/**", this::session, chat).ws("/ws/a", this::session))
			.bindNow(Duration.ofSeconds(10));
	}

	private Publisher<Void> session(WebsocketInbound in, WebsocketOutbound out) {
		handshakes.add(in.headers());
		open.incrementAndGet();
		in.receiveCloseStatus().defaultIfEmpty(WebSocketCloseStatus.ABNORMAL_CLOSURE).subscribe(status -> {
			closes.add(status);
			open.decrementAndGet();
		});
		Flux<WebSocketFrame> echoes = in.receiveFrames().concatMap(frame -> {
			if (frame instanceof TextWebSocketFrame text && text.text().startsWith("close:")) {
				String[] command = text.text().split(":", 3);
				return out.sendClose(Integer.parseInt(command[1]), command[2]).then(Mono.<WebSocketFrame>empty());
			}
			return Mono.just(frame.retain());
		});
		return out.sendObject(echoes.filter(frame -> !(frame instanceof CloseWebSocketFrame)));
	}

	static WebSocketUpstream start() {
		return new WebSocketUpstream(null);
	}

	static WebSocketUpstream startTls(TestPki.Issued identity) {
		return new WebSocketUpstream(identity);
	}

	String url() {
		return scheme + "://127.0.0.1:" + server.port();
	}

	List<WebSocketCloseStatus> closed() {
		return List.copyOf(closes);
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
