package io.meshgate.policy.error;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.json.JsonWriter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes the one JSON error body every Meshgate error answers with:
 * {@code {"status":503,"error":"Service Unavailable","message":"…","path":"/orders/7", …}}.
 */
public final class ErrorResponses {

	private static final JsonWriter<Object> JSON = JsonWriter.standard();

	private ErrorResponses() {
	}

	/**
	 * @param details further fields ({@code upstream}, {@code route}); {@code null} values are left out
	 */
	public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String message,
			Map<String, ?> details) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("error", status.getReasonPhrase());
		body.put("message", message);
		body.put("path", exchange.getRequest().getPath().value());
		details.forEach((key, value) -> {
			if (value != null) {
				body.put(key, value);
			}
		});
		byte[] bytes = JSON.writeToString(body).getBytes(StandardCharsets.UTF_8);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setContentLength(bytes.length);
		response.getHeaders().setCacheControl("no-store");
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

}
