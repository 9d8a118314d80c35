package io.meshgate.admin.api;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Keeps one source of truth: Spring Cloud Gateway's actuator can add and delete routes in its
 * own in-memory repository, beside the route store. When its write endpoints are enabled, they
 * are answered here with 409 and a pointer to the admin API, which writes through the store.
 * {@code /actuator/gateway/refresh} and every read stay as they are.
 */
public final class GatewayActuatorWriteGuard implements WebFilter, Ordered {

	private static final byte[] BODY = ("{\"status\":409,\"error\":\"Conflict\",\"message\":\"routes are edited through "
			+ "the admin API (/api/routes), which validates, versions and stores them for every replica; "
			+ "/actuator/gateway/routes is read-only\"}").getBytes(StandardCharsets.UTF_8);

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpMethod method = exchange.getRequest().getMethod();
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if ((HttpMethod.POST.equals(method) || HttpMethod.DELETE.equals(method) || HttpMethod.PUT.equals(method))
				&& path.startsWith("/actuator/gateway/routes")) {
			exchange.getResponse().setStatusCode(HttpStatus.CONFLICT);
			exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
			return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(BODY)));
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		// after security (-100): only an authenticated editor learns where to go
		return 0;
	}

}
