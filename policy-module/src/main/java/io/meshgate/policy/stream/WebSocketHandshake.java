package io.meshgate.policy.stream;

import java.util.Base64;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * A client's opening handshake (RFC 6455, section 4.2.1), read before any upstream is called: a
 * request that asks for the upgrade but breaks the handshake is answered 400 by the gateway, so a
 * broken client never costs an upstream connection.
 */
public final class WebSocketHandshake {

	static final String KEY = "Sec-WebSocket-Key";

	static final String VERSION = "Sec-WebSocket-Version";

	static final String PROTOCOL = "Sec-WebSocket-Protocol";

	/** Spring names no constant for it. */
	private static final HttpMethod CONNECT = HttpMethod.valueOf("CONNECT");

	/** The one version RFC 6455 defines. */
	private static final String VERSION_13 = "13";

	/** A key is 16 random bytes in base64: 24 characters. */
	private static final int KEY_LENGTH = 24;

	private WebSocketHandshake() {
	}

	/**
	 * The request asks for a WebSocket: {@code Upgrade: websocket} (HTTP/1.1), or an HTTP/2
	 * extended CONNECT (RFC 8441).
	 */
	public static boolean requested(ServerHttpRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE))
				|| extendedConnect(request);
	}

	/**
	 * HTTP/1.1: a GET with {@code Connection: upgrade}, a 16-byte key and version 13. HTTP/2: a
	 * CONNECT with version 13 (RFC 8441 has no key; Reactor Netty refuses a {@code :protocol}
	 * other than {@code websocket} with 400 when it switches the stream).
	 */
	public static boolean valid(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		if (CONNECT.equals(request.getMethod())) {
			return VERSION_13.equals(headers.getFirst(VERSION));
		}
		return HttpMethod.GET.equals(request.getMethod()) && connectionUpgrade(headers.get(HttpHeaders.CONNECTION))
				&& VERSION_13.equals(headers.getFirst(VERSION)) && validKey(headers.getFirst(KEY));
	}

	/**
	 * A CONNECT on an HTTP/2 stream that names a path: an extended CONNECT, which the ingress
	 * announces ({@code edge.ExtendedConnect}); a plain CONNECT names an authority only, and
	 * Meshgate does not tunnel those.
	 */
	public static boolean extendedConnect(ServerHttpRequest request) {
		if (!CONNECT.equals(request.getMethod())) {
			return false;
		}
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest server
					&& server.version().majorVersion() == 2 && server.uri().startsWith("/");
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return false; // a request of some other server, or a mock
		}
	}

	/** The subprotocols the client offers, as it listed them ({@code null} without any). */
	public static String protocols(HttpHeaders headers) {
		List<String> offered = headers.get(PROTOCOL);
		return offered == null || offered.isEmpty() ? null : String.join(",", offered);
	}

	private static boolean connectionUpgrade(List<String> values) {
		if (values == null) {
			return false;
		}
		for (String value : values) {
			for (String token : value.split(",")) {
				if ("upgrade".equalsIgnoreCase(token.trim())) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean validKey(String key) {
		if (key == null || key.length() != KEY_LENGTH) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key).length == 16;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
