package io.meshgate.policy.security.extauthz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import io.meshgate.policy.testing.TestPki;

/**
 * A real external authorization service on a loopback port chosen by the OS: answers every check
 * with the status, headers and body the test scripts, after the delay it sets, and records each
 * check as received.
 */
final class AuthServer implements AutoCloseable {

	/** A check as received; header names in lower case, repeated ones joined by ", ". */
	record Check(String method, String uri, Map<String, String> headers, int bodyLength) {

	}

	private final Queue<Check> checks = new ConcurrentLinkedQueue<>();

	private volatile int status = 200;

	private volatile Map<String, List<String>> headers = Map.of();

	private volatile byte[] body = new byte[0];

	private volatile Duration delay = Duration.ZERO;

	private final DisposableServer server;

	private final String scheme;

	AuthServer() {
		this(null);
	}

	/** @param identity with one, the server speaks HTTPS and presents it */
	AuthServer(TestPki.Issued identity) {
		HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
		if (identity != null) {
			http = http.secure(spec -> {
				try {
					spec.sslContext(SslContextBuilder.forServer(identity.privateKey(), identity.certificate()).build());
				}
				catch (SSLException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
		this.scheme = identity == null ? "http" : "https";
		this.server = http
			.handle((request, response) -> request.receive()
				.aggregate()
				.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMap(received -> answer(request, response, received)))
			.bindNow(Duration.ofSeconds(10));
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, byte[] received) {
		Map<String, String> seen = new LinkedHashMap<>();
		request.requestHeaders()
			.forEach(h -> seen.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
		checks.add(new Check(request.method().name(), request.uri(), seen, received.length));
		byte[] content = body;
		response.status(status).header("Content-Length", String.valueOf(content.length));
		headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
		Mono<Void> answer = response.sendByteArray(Mono.just(content)).then();
		Duration wait = delay;
		return wait.isZero() ? answer : Mono.delay(wait).then(answer);
	}

	/** Answers {@code status} with these headers (name to one value) and no body. */
	AuthServer answer(int status, String... nameValues) {
		Map<String, List<String>> scripted = new LinkedHashMap<>();
		for (int i = 0; i < nameValues.length; i += 2) {
			scripted.computeIfAbsent(nameValues[i], name -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
		}
		this.status = status;
		this.headers = scripted;
		this.body = new byte[0];
		return this;
	}

	AuthServer body(String text, String contentType) {
		Map<String, List<String>> scripted = new LinkedHashMap<>(headers);
		scripted.put("Content-Type", List.of(contentType));
		this.headers = scripted;
		this.body = text.getBytes(StandardCharsets.UTF_8);
		return this;
	}

	AuthServer delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	/** The auth service's base URL, with {@code path} (the path the checks are appended to). */
	String uri(String path) {
		return scheme + "://127.0.0.1:" + server.port() + path;
	}

	int calls() {
		return checks.size();
	}

	List<Check> checks() {
		return List.copyOf(checks);
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
