package io.meshgate.policy.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (the JDK's) of the gateway: every whole message it receives, text or binary,
 * goes to {@link #messages}; the close it receives completes {@link #closed}.
 */
final class WebSocketClient implements WebSocket.Listener {

	record Close(int code, String reason) {
	}

	final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

	final CompletableFuture<Close> closed = new CompletableFuture<>();

	private final StringBuilder text = new StringBuilder();

	private ByteBuffer binary = ByteBuffer.allocate(0);

	WebSocket socket;

	/** Opens a session to {@code path} on the gateway's {@code port}, offering {@code protocols}. */
	static CompletableFuture<WebSocketClient> open(HttpClient http, int port, String path, String... protocols) {
		WebSocketClient client = new WebSocketClient();
		WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		if (protocols.length > 0) {
			builder.subprotocols(protocols[0], List.of(protocols).subList(1, protocols.length).toArray(String[]::new));
		}
		builder.header("x-client", "test");
		return builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).thenApply(socket -> {
			client.socket = socket;
			return client;
		});
	}

	/** The next whole message, waiting at most 5 s. */
	Object next() throws InterruptedException {
		Object message = messages.poll(5, TimeUnit.SECONDS);
		if (message == null) {
			throw new AssertionError("no message within 5 s");
		}
		return message;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		text.append(data);
		if (last) {
			messages.add(text.toString());
			text.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
		joined.put(binary).put(data).flip();
		binary = joined;
		if (last) {
			byte[] bytes = new byte[binary.remaining()];
			binary.get(bytes);
			messages.add(bytes);
			binary = ByteBuffer.allocate(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closed.complete(new Close(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		closed.completeExceptionally(error);
	}

}
