package io.meshgate.policy.grpc;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's own answers to gRPC clients, as gRPC errors rather than JSON: HTTP 200,
 * {@code content-type: application/grpc}, and the status in {@code grpc-status} and
 * {@code grpc-message} with no body ("Trailers-Only"), which every gRPC client reads as the call's
 * status. The message is Meshgate's fixed text, percent-encoded as the protocol asks.
 */
public final class GrpcErrors {

	private GrpcErrors() {
	}

	/**
	 * Sets the response's status and headers for a gateway-made error {@code status} with
	 * {@code message}; the caller completes the response without a body. Returns the gRPC code.
	 */
	public static int prepare(ServerWebExchange exchange, HttpStatusCode status, String message) {
		int code = GrpcStatus.forGatewayError(status.value());
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.OK);
		org.springframework.http.HttpHeaders headers = response.getHeaders();
		headers.remove(org.springframework.http.HttpHeaders.CONTENT_LENGTH);
		headers.set(org.springframework.http.HttpHeaders.CONTENT_TYPE, "application/grpc");
		headers.set(GrpcStatus.HEADER, Integer.toString(code));
		headers.set(GrpcStatus.MESSAGE_HEADER, percentEncoded(message));
		GrpcCall.orStart(exchange).status(code);
		return code;
	}

	/** Ends a stream whose headers went out already with {@code code} and {@code message} in its trailers. */
	static void endStream(ServerWebExchange exchange, int code, String message) {
		ServerHttpResponse response = exchange.getResponse();
		while (response instanceof ServerHttpResponseDecorator decorator) {
			response = decorator.getDelegate();
		}
		if (response instanceof AbstractServerHttpResponse server
				&& server.getNativeResponse() instanceof HttpServerResponse netty) {
			String text = percentEncoded(message);
			netty.trailerHeaders(trailers -> set(trailers, code, text));
		}
	}

	private static void set(HttpHeaders trailers, int code, String message) {
		trailers.set(GrpcStatus.HEADER, Integer.toString(code));
		trailers.set(GrpcStatus.MESSAGE_HEADER, message);
	}

	/** {@code grpc-message} encoding: bytes outside printable ASCII, and {@code %}, as {@code %XX}. */
	static String percentEncoded(String message) {
		byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		StringBuilder encoded = new StringBuilder(bytes.length);
		for (byte b : bytes) {
			int c = b & 0xFF;
			if (c >= 0x20 && c <= 0x7E && c != '%') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		return encoded.toString();
	}

}
