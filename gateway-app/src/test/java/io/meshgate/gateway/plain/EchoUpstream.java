package io.meshgate.gateway.plain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on a loopback port that answers with what it received, as JSON
 * ({@link Echo}), and answers what the request asks it to: {@code x-answer-status: 500} sets the
 * status, {@code x-answer-Name: value} adds the response header {@code Name} (once per such
 * request header), {@code x-answer-body} replaces the body. It keeps what it received.
 */
final class EchoUpstream implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String ANSWER = "x-answer-";

	/** A request as received: header names in lower case, each with its values in order. */
	record Echo(String upstream, String method, String uri, Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
			return values == null ? null : String.join(", ", values);
		}

	}

	private final String name;

	private final Queue<Echo> received = new ConcurrentLinkedQueue<>();

	private final DisposableServer server;

	EchoUpstream(String name) {
		this.name = name;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.aggregate()
				.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.flatMap(body -> answer(request, response, body)))
			.bindNow(Duration.ofSeconds(10));
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		int status = 200;
		String answerBody = null;
		for (Map.Entry<String, String> header : request.requestHeaders()) {
			String lower = header.getKey().toLowerCase(Locale.ROOT);
			headers.computeIfAbsent(lower, key -> new ArrayList<>()).add(header.getValue());
			if (lower.equals(ANSWER + "status")) {
				status = Integer.parseInt(header.getValue());
			}
			else if (lower.equals(ANSWER + "body")) {
				answerBody = header.getValue();
			}
			else if (lower.startsWith(ANSWER)) {
				response.addHeader(header.getKey().substring(ANSWER.length()), header.getValue());
			}
		}
		Echo echo = new Echo(name, request.method().name(), request.uri(), headers, body);
		received.add(echo);
		byte[] bytes = (answerBody != null ? answerBody : JSON.writeValueAsString(echo))
			.getBytes(StandardCharsets.UTF_8);
		if (!response.responseHeaders().contains("Content-Type")) {
			response.header("Content-Type", "application/json");
		}
		return response.status(status)
			.header("Content-Length", String.valueOf(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then();
	}

	String url() {
		return "http://127.0.0.1:" + server.port();
	}

	int port() {
		return server.port();
	}

	/** The requests received so far that carry {@code header: value}. */
	List<Echo> received(String header, String value) {
		return received.stream().filter(echo -> value.equals(echo.header(header))).toList();
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
