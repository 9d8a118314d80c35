package io.meshgate.policy.cors;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.WebFilter;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayClient;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A preflight is answered in the call that reads its headers, before the request's end is read.
 * Reactor Netty's request timer ({@code meshgate.ingress.request-body-timeout}, 30 s by default)
 * stops only when that end reaches the request, and holds the request until then: about 3 KB of
 * heap per preflight, for as long as the timeout. Whoever answers a preflight (a route's CORS
 * policy or WebFlux for a path without one), nothing of it may outlive its exchange.
 */
@Import(CorsPreflightRetentionTest.PreflightRequests.class)
class CorsPreflightRetentionTest extends GatewayTest {

	/** Reactor Netty's request of every preflight, weakly: what else keeps it alive is the question. */
	static final List<WeakReference<Object>> PREFLIGHTS = new CopyOnWriteArrayList<>();

	@TestConfiguration
	static class PreflightRequests {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter preflightRequests() {
			return (exchange, chain) -> {
				if (exchange.getRequest().getMethod() == HttpMethod.OPTIONS) {
					PREFLIGHTS.add(new WeakReference<>(ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest())));
				}
				return chain.filter(exchange);
			};
		}

	}

	@Test
	void aPreflightsRequestIsNotKeptAfterTheRoutesAnswer() {
		assertPreflightsReleased("/svc/orders", 204);
	}

	@Test
	void aPreflightsRequestIsNotKeptWhereNoRouteHasACorsPolicy() {
		assertPreflightsReleased("/elsewhere", 200);
	}

	private void assertPreflightsReleased(String path, int status) {
		TestUpstream upstream = start("ok");
		apply(List.of(Upstream.of("svc", upstream.url())),
				Route.of("svc", "/svc/**", Backend.of("svc", 1)).withCors(CorsTest.SHOP_POLICY));
		PREFLIGHTS.clear();
		GatewayClient connection = client;

		for (int i = 0; i < 3; i++) {
			assertThat(connection.send("OPTIONS", path,
					Map.of("Origin", CorsTest.SHOP, "Access-Control-Request-Method", "PUT")).statusCode())
				.isEqualTo(status);
		}
		// a request after them on the same keep-alive connection: the connection's current request
		// is no longer a preflight
		connection.get("/svc/orders");

		assertThat(PREFLIGHTS).hasSize(3);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
			System.gc();
			return PREFLIGHTS.stream().allMatch(request -> request.get() == null);
		});
	}

}
