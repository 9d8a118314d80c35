package io.meshgate.policy.timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-request timers run on the event loop that serves the request, on a real Reactor Netty server. */
class TimeoutsTest {

	@Test
	void expiryFiresOnTheEventLoopThatServesTheRequest() throws Exception {
		AtomicReference<String> serving = new AtomicReference<>();
		AtomicReference<String> fired = new AtomicReference<>();
		WebHandler handler = exchange -> {
			serving.set(Thread.currentThread().getName());
			return Timeouts.expiry(Duration.ofMillis(20), exchange)
				.doOnNext(tick -> fired.set(Thread.currentThread().getName()))
				.then(exchange.getResponse().setComplete());
		};
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.webHandler(handler).build()))
			.bindNow();
		try {
			HttpResponse<Void> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
						HttpResponse.BodyHandlers.discarding());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(fired.get()).as("not Reactor's parallel scheduler").isEqualTo(serving.get())
				.startsWith("reactor-http");
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void withoutANettyConnectionReactorsTimerIsUsed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		AtomicReference<String> fired = new AtomicReference<>();

		Long tick = Timeouts.expiry(Duration.ofMillis(5), exchange)
			.doOnNext(t -> fired.set(Thread.currentThread().getName()))
			.block(Duration.ofSeconds(5));

		assertThat(tick).isZero();
		assertThat(fired.get()).startsWith("parallel");
	}

}
