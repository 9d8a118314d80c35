package io.meshgate.policy.upstream;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A small response with a known length reaches the client in one write; large, streamed and
 * broken responses still behave as they did when every body was streamed.
 */
class SmallResponseTest extends GatewayTest {

	static final String SMALL = "s".repeat(3000) + "t".repeat(3000);

	static final String LARGE = "l".repeat(100_000);

	private final Sinks.Empty<Void> releaseStream = Sinks.empty();

	private DisposableServer upstream;

	private ServerSocket truncating;

	@BeforeEach
	void upstreams() throws Exception {
		upstream = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes
			// Two buffers of one body with a Content-Length: joined into one write.
			.route(request -> request.uri().equals("/small"), (request, response) -> response.header("Content-Length", "6000")
				.send(Flux.just(SMALL.substring(0, 3000), SMALL.substring(3000))
					.map(part -> Unpooled.copiedBuffer(part, StandardCharsets.US_ASCII))))
			.get("/large", (request, response) -> response.header("Content-Length", "100000").sendString(Mono.just(LARGE)))
			// Chunked: the second part waits until the client has the first.
			.get("/stream", (request, response) -> response.sendString(Flux.concat(Mono.just("first\n"),
					releaseStream.asMono().then(Mono.just("second\n"))))))
			.bindNow();
		truncating = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread answering = new Thread(this::answerTruncated, "truncating-upstream");
		answering.setDaemon(true);
		answering.start();
		String upstreamUrl = "http://127.0.0.1:" + upstream.port();
		apply(List.of(Upstream.of("up", upstreamUrl), Upstream.of("liar", "http://127.0.0.1:" + truncating.getLocalPort())),
				Route.of("liar", "/truncated", Backend.of("liar", 1)), Route.of("up", "/**", Backend.of("up", 1)));
	}

	@AfterEach
	void stopUpstreams() throws Exception {
		releaseStream.tryEmitEmpty();
		upstream.disposeNow();
		truncating.close();
	}

	@Test
	void smallAndLargeBodiesArriveWhole() {
		assertThat(client.get("/small").body()).isEqualTo(SMALL);
		assertThat(client.get("/large").body()).isEqualTo(LARGE);
	}

	@Test
	void headAnswersTheLengthWithoutABody() {
		HttpResponse<String> head = client.send("HEAD", "/small", Map.of());

		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("content-length")).hasValue("6000");
		assertThat(head.body()).isEmpty();
	}

	@Test
	void aStreamedBodyIsPassedOnAsItComes() throws Exception {
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			// Were the body held back until complete, the first part would never arrive.
			String first = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readLine(body));
			assertThat(first).isEqualTo("first");
			releaseStream.tryEmitEmpty();
			assertThat(readLine(body)).isEqualTo("second");
		}
	}

	@Test
	void aBodyShorterThanItsLengthIsAnErrorNotA200() {
		HttpResponse<String> response = client.get("/truncated");

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains("\"upstream\":\"liar\"");
	}

	@Test
	void rejectsALimitItCannotHold() {
		assertThatThrownBy(() -> new SmallResponseFilter(DataSize.ofMegabytes(2)))
			.hasMessage("meshgate.response-buffering.max-size: 2097152B (expected: from 0B to 1048576B)");
	}

	@Test
	void writesAKnownSmallLengthAsOneBufferAndEverythingElseAsItComes() {
		assertThat(writes(6000, "6000")).containsExactly("one buffer of 6000 bytes");
		assertThat(writes(6000, null)).containsExactly("a stream of 6000 bytes");
		assertThat(writes(6000, "6000", DataSize.ofBytes(5000))).containsExactly("a stream of 6000 bytes");
		assertThat(writes(6000, "6000", DataSize.ofBytes(0))).containsExactly("a stream of 6000 bytes");
	}

	/** How the server response was written when a body of this size went through the filter. */
	private static List<String> writes(int size, String contentLength) {
		return writes(size, contentLength, SmallResponseFilter.DEFAULT_LIMIT);
	}

	private static List<String> writes(int size, String contentLength, DataSize limit) {
		List<String> writes = new ArrayList<>();
		MockServerHttpResponse recording = new MockServerHttpResponse() {
			@Override
			protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
				String kind = body instanceof Mono ? "one buffer" : "a stream";
				return Flux.from(body)
					.map(DataBuffer::readableByteCount)
					.reduce(0, Integer::sum)
					.doOnNext(bytes -> writes.add(kind + " of " + bytes + " bytes"))
					.then();
			}
		};
		if (contentLength != null) {
			recording.getHeaders().set("Content-Length", contentLength);
		}
		var exchange = new DefaultServerWebExchange(MockServerHttpRequest.get("/").build(), recording,
				new DefaultWebSessionManager(), ServerCodecConfigurer.create(), new AcceptHeaderLocaleContextResolver());
		var buffers = DefaultDataBufferFactory.sharedInstance;
		new SmallResponseFilter(limit).filter(exchange, e -> e.getResponse()
			.writeWith(Flux.just(buffers.wrap(new byte[size / 2]), buffers.wrap(new byte[size - size / 2]))))
			.block(Duration.ofSeconds(5));
		return writes;
	}

	private void answerTruncated() {
		while (!truncating.isClosed()) {
			try (Socket socket = truncating.accept()) {
				socket.getInputStream().read(new byte[4096]);
				OutputStream out = socket.getOutputStream();
				out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (Exception closed) {
				// the test is over
			}
		}
	}

	private static String readLine(InputStream in) throws Exception {
		StringBuilder line = new StringBuilder();
		for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
			line.append((char) c);
		}
		return line.toString();
	}

}
