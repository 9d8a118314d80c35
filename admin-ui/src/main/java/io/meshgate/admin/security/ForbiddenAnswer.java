package io.meshgate.admin.security;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;

/**
 * A refused request (403) answered in the admin API's error format, as JSON with a fixed text:
 * the role does not allow it, or an unsafe request came without the session's CSRF token.
 */
final class ForbiddenAnswer {

	private static final byte[] ROLE = body("your role may not do this (expected: the editor role for changes)");

	private static final byte[] CSRF = body("the CSRF token is missing or wrong (expected: the token from GET /api/me "
			+ "in its header, or credentials in an Authorization header)");

	private ForbiddenAnswer() {
	}

	static ServerAccessDeniedHandler handler() {
		return (exchange, denied) -> {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.FORBIDDEN);
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			response.getHeaders().setCacheControl("no-store");
			byte[] body = denied instanceof CsrfException ? CSRF : ROLE;
			return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
		};
	}

	private static byte[] body(String message) {
		return ("{\"status\":403,\"error\":\"Forbidden\",\"message\":\"" + message + "\"}")
			.getBytes(StandardCharsets.US_ASCII);
	}

}
