package io.meshgate.policy.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.call.UpstreamRoutingFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real gateway: the client's forwarding and hop-by-hop headers do not reach the upstream,
 * the upstream's hop-by-hop headers do not reach the client, everything else passes; and the
 * gateway removes them in one pass ({@link HeaderRemoval}) rather than with its own four filters.
 */
class ProxyHeadersTest extends GatewayTest {

	@Autowired
	UpstreamRoutingFilter routingFilter;

	private DisposableServer chatty;

	@AfterEach
	void stopChatty() {
		if (chatty != null) {
			chatty.disposeNow();
		}
	}

	@Test
	void gatewayRemovesHeadersInOnePass() {
		assertThat(routingFilter.getHeadersFilters()).filteredOn(HeaderRemoval.class::isInstance).hasSize(2);
	}

	@Test
	void forwardingAndHopByHopHeadersOfTheClientStayAtTheGateway() {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("shop", "/**", Backend.of("shop", 1)));

		client().headers(headers -> headers.add("Forwarded", "for=192.0.2.1")
			.add("X-Forwarded-For", "192.0.2.1")
			.add("X-Forwarded-Proto", "https")
			.add("Connection", "keep-alive, X-Session-Hint")
			.add("X-Session-Hint", "abc")
			.add("Proxy-Authorization", "Basic c2VjcmV0")
			.add("X-Request-Id", "r-1")
			.add("Accept", "text/plain"))
			.get()
			.uri("/orders")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));

		assertThat(shop.received()).singleElement().satisfies(received -> {
			assertThat(received.headers()).containsEntry("x-request-id", "r-1").containsEntry("accept", "text/plain");
			assertThat(received.headers()).doesNotContainKeys("forwarded", "x-forwarded-for", "x-forwarded-proto",
					"x-session-hint", "proxy-authorization");
		});
	}

	@Test
	void eachHeaderToRemoveIsFoundOnItsOwn() {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("shop", "/**", Backend.of("shop", 1)));
		List<String> removed = List.of("Forwarded", "X-Forwarded-Ssl", "x-forwarded-for", "Keep-Alive",
				"Proxy-Authorization", "X-Application-Context", "Trailer");

		for (String name : removed) {
			client().headers(headers -> headers.add(name, "1").add("X-Kept", "1"))
				.get()
				.uri("/one")
				.responseContent()
				.aggregate()
				.asString()
				.block(Duration.ofSeconds(10));
		}
		client().headers(headers -> headers.add("Content-Type", "application/grpc").add("X-Kept", "1"))
			.post()
			.uri("/grpc")
			.send(ByteBufFlux.fromString(Mono.just("x")))
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));

		assertThat(shop.received()).hasSize(removed.size() + 1);
		for (int i = 0; i < removed.size(); i++) {
			assertThat(shop.received().get(i).headers()).as(removed.get(i))
				.containsKey("x-kept")
				.doesNotContainKey(removed.get(i).toLowerCase(Locale.ROOT));
		}
		assertThat(shop.received().get(removed.size()).headers()).containsEntry("te", "trailers");
	}

	@Test
	void hopByHopHeadersOfTheUpstreamStayAtTheGateway() {
		chatty = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.header("Connection", "keep-alive, X-Upstream-Hint")
				.header("X-Upstream-Hint", "internal")
				.header("Keep-Alive", "timeout=5")
				.header("X-Visible", "yes")
				.header("Content-Length", "2")
				.sendString(Mono.just("ok")))
			.bindNow();
		apply(List.of(Upstream.of("chatty", "http://127.0.0.1:" + chatty.port())),
				Route.of("chatty", "/**", Backend.of("chatty", 1)));

		HttpHeaders received = client().get().uri("/x").response().block(Duration.ofSeconds(10)).responseHeaders();

		assertThat(received.get("X-Visible")).isEqualTo("yes");
		assertThat(received.contains("X-Upstream-Hint")).isFalse();
		assertThat(received.contains("Keep-Alive")).isFalse();
	}

	private HttpClient client() {
		return HttpClient.create().baseUrl("http://127.0.0.1:" + port);
	}

}
