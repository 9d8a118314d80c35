package io.meshgate.admin.security;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a {@link LoginThrottledException} 429 with {@code Retry-After} and a fixed text, for
 * HTTP Basic (as its entry point) and the login form (as its failure handler); every other
 * failure goes to the wrapped answer.
 */
final class LoginThrottledAnswer {

	private static final byte[] BODY = "Too many login attempts; try again later.\n".getBytes(StandardCharsets.US_ASCII);

	private LoginThrottledAnswer() {
	}

	static ServerAuthenticationEntryPoint entryPoint(ServerAuthenticationEntryPoint otherwise) {
		return (exchange, error) -> error instanceof LoginThrottledException throttled ? write(exchange, throttled)
				: otherwise.commence(exchange, error);
	}

	static ServerAuthenticationFailureHandler failureHandler(ServerAuthenticationFailureHandler otherwise) {
		return (WebFilterExchange exchange, AuthenticationException error) -> error instanceof LoginThrottledException throttled
				? write(exchange.getExchange(), throttled) : otherwise.onAuthenticationFailure(exchange, error);
	}

	private static Mono<Void> write(ServerWebExchange exchange, LoginThrottledException throttled) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
		headers.setContentType(MediaType.TEXT_PLAIN);
		headers.setCacheControl("no-store");
		DataBuffer body = response.bufferFactory().wrap(BODY);
		return response.writeWith(Mono.just(body));
	}

}
