package io.meshgate.policy.stream;

import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;

import io.meshgate.policy.breaker.CircuitBreakerPolicy;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestPki;
import io.meshgate.policy.tls.TlsPolicy;
import io.meshgate.policy.upstream.Upstream;
import io.meshgate.policy.upstream.UpstreamRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket sessions through a route, over real sockets: the JDK's WebSocket client on the
 * ingress, a Reactor Netty WebSocket server upstream ({@link WebSocketUpstream}).
 */
class WebSocketProxyTest extends GatewayTest {

	@Autowired
	UpstreamRegistry upstreams;

	/** One client for the class: Java 17's cannot be closed, and each holds a selector thread. */
	static final HttpClient HTTP = HttpClient.newHttpClient();

	/** Sessions of the HTTP/2 test, one after another. */
	private static final int H2_SESSIONS = 20;

	WebSocketUpstream echo;

	@BeforeEach
	void startEcho() {
		echo = WebSocketUpstream.start();
	}

	@AfterEach
	void stopEcho() {
		echo.close();
	}

	private WebSocketClient open(String path, String... protocols) {
		return WebSocketClient.open(HTTP, port, path, protocols).orTimeout(5, TimeUnit.SECONDS).join();
	}

	private void route(Upstream upstream) {
		apply(List.of(upstream), Route.of("ws", "/ws/**", Backend.of(upstream.name(), 1)));
	}

	@Test
	void framesPassBothWaysWithTheSubprotocolTheUpstreamChose() throws Exception {
		route(Upstream.of("echo", echo.url()));

		WebSocketClient client = open("/ws/chat/room", "superchat", "chat");
		client.socket.sendText("hello", true).join();
		assertThat(client.next()).isEqualTo("hello");
		client.socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3, 4, 5, 6, 7 }), true).join();
		assertThat(client.next()).isEqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7 });
		client.socket.sendText("in ", false).join();
		client.socket.sendText("pieces", true).join();
		assertThat(client.next()).isEqualTo("in pieces");

		assertThat(client.socket.getSubprotocol()).isEqualTo("chat");
		io.netty.handler.codec.http.HttpHeaders handshake = echo.handshakes.peek();
		assertThat(handshake.get("x-client")).isEqualTo("test");
		assertThat(handshake.get("Sec-WebSocket-Protocol")).isEqualTo("superchat, chat");
	}

	/**
	 * RFC 8441: Reactor Netty's client on an h2c connection (prior knowledge) opens the session
	 * with an extended CONNECT, which it does only once the gateway announced
	 * {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}; the upstream gets an HTTP/1.1 upgrade. Sessions one
	 * after another, each on a connection of its own and sending its first frame as soon as the
	 * gateway's 200 arrives: the gateway must be reading the stream's frames as WebSocket frames by
	 * then. A switch made from another event loop than the client's can lose that frame now and then
	 * (the session then hangs), so one session alone rarely shows it.
	 */
	@Test
	void aWebSocketOverAnHttp2ExtendedConnectPassesFramesBothWays() {
		route(Upstream.of("echo", echo.url()));
		reactor.netty.http.client.HttpClient h2c = reactor.netty.http.client.HttpClient
			.create(ConnectionProvider.newConnection())
			.protocol(reactor.netty.http.HttpProtocol.H2C);

		List<String> echoed = Flux.range(0, H2_SESSIONS)
			.concatMap(session -> h2c
				.websocket(reactor.netty.http.client.WebsocketClientSpec.builder().protocols("chat").build())
				.uri("ws://127.0.0.1:" + port + "/ws/chat/over-h2")
				.handle((in, out) -> out.sendString(Mono.just("over h2 " + session))
					.then()
					.thenMany(in.receive().asString().take(1)))
				.timeout(Duration.ofSeconds(5)))
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(echoed).containsExactlyElementsOf(
				IntStream.range(0, H2_SESSIONS).mapToObj(session -> "over h2 " + session).toList());
		assertThat(echo.handshakes).hasSize(H2_SESSIONS)
			.allSatisfy(handshake -> assertThat(handshake.get("Sec-WebSocket-Protocol")).isEqualTo("chat"));
	}

	@Test
	void aClientCloseReachesTheUpstreamWithItsCodeAndReasonWithinOneSecond() {
		route(Upstream.of("echo", echo.url()));
		WebSocketClient client = open("/ws/a");

		client.socket.sendClose(4001, "client leaves").join();

		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(echo.closed()).containsExactly(new WebSocketCloseStatus(4001, "client leaves")));
		assertThat(client.closed.orTimeout(1, TimeUnit.SECONDS).join().code()).isEqualTo(4001);
	}

	/** An open session is in flight at its endpoint (least-request sees it), and one call: its handshake. */
	@Test
	void anOpenSessionIsInFlightAndItsHandshakeIsItsOneCall() {
		route(Upstream.of("echo", echo.url()));
		UpstreamEndpoint endpoint = upstreams.get("echo").allEndpoints().get(0);
		WebSocketClient client = open("/ws/a");

		await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.inFlight() == 1);
		assertThat(endpoint.calls()).isEqualTo(1);
		client.socket.sendClose(1000, "done").join();
		await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.inFlight() == 0);
		assertThat(endpoint.calls()).isEqualTo(1);
		assertThat(endpoint.failedCalls()).isZero();
	}

	/** 1012 (service restart) is one of the codes Spring Cloud Gateway's filter turned into 1002. */
	@Test
	void anUpstreamCloseReachesTheClientWithItsCodeAndReasonWithinOneSecond() {
		route(Upstream.of("echo", echo.url()));
		WebSocketClient client = open("/ws/a");

		client.socket.sendText("close:1012:restarting", true).join();

		assertThat(client.closed.orTimeout(1, TimeUnit.SECONDS).join())
			.isEqualTo(new WebSocketClient.Close(1012, "restarting"));
	}

	@Test
	void aClientThatDropsItsConnectionEndsTheUpstreamSessionWithAnEmptyClose() {
		route(Upstream.of("echo", echo.url()));
		WebSocketClient client = open("/ws/a");
		await().atMost(Duration.ofSeconds(1)).until(() -> echo.open.get() == 1);

		client.socket.abort();

		await().atMost(Duration.ofSeconds(1)).until(() -> echo.open.get() == 0);
		assertThat(echo.closed()).extracting(WebSocketCloseStatus::code).containsExactly(1005);
	}

	@Test
	void anUpstreamThatRefusesTheConnectionIsA502CountedByTheBreaker() {
		route(Upstream.of("down", "http://127.0.0.1:1").withCircuitBreaker(CircuitBreakerPolicy.defaults()));

		assertThatThrownBy(() -> open("/ws/a")).isInstanceOf(CompletionException.class)
			.cause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(502));
		CircuitBreaker.Metrics metrics = upstreams.get("down").breaker().circuitBreaker().getMetrics();
		assertThat(metrics.getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void anUpstreamThatAnswersWithoutUpgradingHasItsStatusPassedOn() {
		route(Upstream.of("echo", echo.url()));

		assertThatThrownBy(() -> open("/ws/nothing-here", "chat")).cause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(404));
	}

	/** The route's timeout and the breaker's slow-call threshold are for calls; a session is not one. */
	@Test
	void aSessionOutlivesTheRouteTimeoutAndIsNotASlowCall() throws Exception {
		Upstream guarded = Upstream.of("echo", echo.url())
			.withCircuitBreaker(new CircuitBreakerPolicy(null, Duration.ofMillis(200), null, null, null, null, null, null));
		apply(List.of(guarded), Route.of("ws", "/ws/**", Backend.of("echo", 1)).withTimeout(Duration.ofMillis(200)));
		WebSocketClient client = open("/ws/a");

		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> !client.closed.isDone());
		client.socket.sendText("still here", true).join();

		assertThat(client.next()).isEqualTo("still here");
		CircuitBreaker.Metrics metrics = upstreams.get("echo").breaker().circuitBreaker().getMetrics();
		assertThat(metrics.getNumberOfSuccessfulCalls()).isEqualTo(1);
		assertThat(metrics.getNumberOfSlowCalls()).isZero();
	}

	@Test
	void anIdleSessionIsClosedOnBothSidesAfterTheIdleTimeout() throws Exception {
		route(Upstream.of("echo", echo.url()).withWebSocket(WebSocketPolicy.idleTimeout(Duration.ofMillis(300))));
		WebSocketClient client = open("/ws/a");
		client.socket.sendText("one", true).join();
		assertThat(client.next()).isEqualTo("one");

		assertThat(client.closed.orTimeout(2, TimeUnit.SECONDS).join())
			.isEqualTo(new WebSocketClient.Close(1001, "idle timeout"));
		await().atMost(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(echo.closed()).containsExactly(new WebSocketCloseStatus(1001, "idle timeout")));
	}

	@Test
	void anUpstreamWithTlsIsReachedThroughItsOwnClient(@TempDir Path certificates) throws Exception {
		TestPki pki = TestPki.create("ws-ca");
		try (WebSocketUpstream secure = WebSocketUpstream.startTls(pki.issue("echo", List.of("ip:127.0.0.1")))) {
			route(Upstream.of("secure", secure.url())
				.withTls(new TlsPolicy(TlsPolicy.Mode.SIMPLE, pki.writeCa(certificates), null, null, null, null)));
			WebSocketClient client = open("/ws/a");

			client.socket.sendText("over tls", true).join();

			assertThat(client.next()).isEqualTo("over tls");
		}
	}

}
