package io.meshgate.gateway.plain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * Sends one request at a time to the gateway's ingress port over a new loopback connection, with
 * any headers (a {@code Host} of its choice, a header repeated) and the route to take in
 * {@code X-Example}; every request carries its own number in {@code X-Test-Request}, so that
 * what an upstream received for it can be found.
 */
final class ExampleClient {

	static final String ROUTE = "X-Example";

	static final String REQUEST = "X-Test-Request";

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final HttpClient http;

	private final AtomicInteger requests = new AtomicInteger();

	/** An answer; the body parsed when it is the echo of an {@link EchoUpstream}. */
	record Answer(int status, HttpHeaders headers, String body, String request) {

		EchoUpstream.Echo echo() {
			return EchoUpstream.JSON.readValue(body, EchoUpstream.Echo.class);
		}

		String header(String name) {
			List<String> values = headers.getAll(name);
			return values.isEmpty() ? null : String.join(", ", values);
		}

	}

	ExampleClient(int port) {
		this.http = HttpClient.newConnection()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(TIMEOUT)
			.followRedirect(false);
	}

	Answer get(String route, String uri, String... headers) {
		return send("GET", route, uri, null, headers);
	}

	/** @param headers names and values, alternating; a name may repeat */
	Answer send(String method, String route, String uri, String body, String... headers) {
		String number = String.valueOf(requests.incrementAndGet());
		HttpClient.RequestSender sender = http.headers(h -> {
			h.set(ROUTE, route).set(REQUEST, number);
			if (body != null) {
				h.set("Content-Length", body.getBytes(StandardCharsets.UTF_8).length);
			}
			for (int i = 0; i < headers.length; i += 2) {
				h.add(headers[i], headers[i + 1]);
			}
		}).request(HttpMethod.valueOf(method)).uri(uri);
		HttpClient.ResponseReceiver<?> receiver = body == null ? sender
				: sender.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT));
		return receiver
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map(text -> new Answer(response.status().code(), response.responseHeaders(), text, number)))
			.block(TIMEOUT);
	}

}
