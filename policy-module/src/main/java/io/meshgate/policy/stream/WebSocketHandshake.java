package io.meshgate.policy.stream;

import java.util.Base64;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A client's opening handshake (RFC 6455, section 4.2.1), read before any upstream is called: a
 * request that asks for the upgrade but breaks the handshake is answered 400 by the gateway, so a
 * broken client never costs an upstream connection.
 */
public final class WebSocketHandshake {

	static final String KEY = "Sec-WebSocket-Key";

	static final String VERSION = "Sec-WebSocket-Version";

	static final String PROTOCOL = "Sec-WebSocket-Protocol";

	/** The one version RFC 6455 defines. */
	private static final String VERSION_13 = "13";

	/** A key is 16 random bytes in base64: 24 characters. */
	private static final int KEY_LENGTH = 24;

	private WebSocketHandshake() {
	}

	/** The request asks to upgrade to WebSocket ({@code Upgrade: websocket}). */
	public static boolean requested(ServerHttpRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.UPGRADE));
	}

	/** A GET with {@code Connection: upgrade}, a 16-byte key and version 13. */
	public static boolean valid(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return HttpMethod.GET.equals(request.getMethod()) && connectionUpgrade(headers.get(HttpHeaders.CONNECTION))
				&& VERSION_13.equals(headers.getFirst(VERSION)) && validKey(headers.getFirst(KEY));
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
