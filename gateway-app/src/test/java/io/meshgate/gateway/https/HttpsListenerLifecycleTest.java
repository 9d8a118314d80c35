package io.meshgate.gateway.https;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.http.server.reactive.HttpHandler;

import io.meshgate.policy.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The listener on its own, with a slow handler instead of the gateway: handshakes without any
 * certificate fail, and a graceful stop finishes the request in flight while refusing new
 * connections.
 */
class HttpsListenerLifecycleTest {

	static final TestCertificates TLS = new TestCertificates();

	final HttpsCertificates certificates = new HttpsCertificates(Clock.systemUTC());

	final CountDownLatch entered = new CountDownLatch(1);

	final HttpHandler slow = (request, response) -> {
		entered.countDown();
		return Mono.delay(Duration.ofSeconds(3))
			.then(response.writeWith(Mono.just(response.bufferFactory().wrap("done".getBytes(StandardCharsets.UTF_8)))));
	};

	HttpsListener listener;

	@BeforeEach
	void start() {
		NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
		factory.setShutdown(Shutdown.GRACEFUL);
		factory.addServerCustomizers(new SniServerCustomizer(certificates, null, null));
		listener = new HttpsListener(factory, () -> slow, port -> {
		});
		listener.start();
	}

	@AfterEach
	void stop() {
		listener.stop();
	}

	@Test
	void withoutAnyCertificateHandshakesFailUntilOneIsGiven() throws Exception {
		assertThatThrownBy(() -> send(client(), "/")).isInstanceOf(IOException.class);

		certificates.replace("test", List.of(TLS.certificate("any", "any.example.com")));

		assertThat(send(client(), "/").body()).isEqualTo("done");
	}

	@Test
	void aGracefulStopFinishesTheRequestInFlightAndRefusesNewConnections() throws Exception {
		certificates.replace("test", List.of(TLS.certificate("any", "any.example.com")));
		int port = listener.port();
		CompletableFuture<HttpResponse<String>> inFlight = client().sendAsync(request(port, "/slow"),
				HttpResponse.BodyHandlers.ofString());
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

		CountDownLatch stopped = new CountDownLatch(1);
		listener.stop(stopped::countDown);

		// the server socket closes on Boot's shutdown thread, a moment after stop(callback) returns
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThatThrownBy(() -> client().send(request(port, "/new"),
					HttpResponse.BodyHandlers.ofString()))
				.isInstanceOf(ConnectException.class));
		HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
		assertThat(finished.statusCode()).isEqualTo(200);
		assertThat(finished.body()).isEqualTo("done");
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(listener.isRunning()).isFalse();
	}

	private HttpResponse<String> send(HttpClient client, String path) throws Exception {
		return client.send(request(listener.port(), path), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
	}

	/** A new client each time: a new connection, never one left open by an earlier request. */
	private static HttpClient client() throws Exception {
		return HttpClient.newBuilder()
			.sslContext(TestPki.trusting(TLS.pki.ca()))
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

}
