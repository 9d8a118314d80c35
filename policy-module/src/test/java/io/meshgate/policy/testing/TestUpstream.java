package io.meshgate.policy.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP server on a loopback port chosen by the OS, answering every request with its own
 * name as the body. Its status and delay can be changed while it runs; it counts what it served.
 */
public final class TestUpstream implements AutoCloseable {

	private final String name;

	private final AtomicInteger hits = new AtomicInteger();

	private volatile int status = 200;

	private volatile Duration delay = Duration.ZERO;

	private final DisposableServer server;

	private TestUpstream(String name, String host, int port) {
		this.name = name;
		this.server = HttpServer.create().host(host).port(port).handle((request, response) -> {
			hits.incrementAndGet();
			byte[] body = this.name.getBytes(StandardCharsets.UTF_8);
			Mono<Void> answer = response.status(status)
				.header("Content-Type", "text/plain")
				.header("Content-Length", String.valueOf(body.length))
				.header("X-Upstream", this.name)
				.sendByteArray(Mono.just(body))
				.then();
			Duration wait = delay;
			return wait.isZero() ? answer : Mono.delay(wait).then(answer);
		}).bindNow(Duration.ofSeconds(10));
	}

	public static TestUpstream start(String name) {
		return new TestUpstream(name, "127.0.0.1", 0);
	}

	/**
	 * Starts on a given loopback address and port: several upstreams on 127.0.0.2, 127.0.0.3 …
	 * can share one port, as the pods behind a Kubernetes Service do.
	 */
	public static TestUpstream start(String name, String host, int port) {
		return new TestUpstream(name, host, port);
	}

	public String host() {
		return server.host();
	}

	public int port() {
		return server.port();
	}

	public String name() {
		return name;
	}

	public String url() {
		return "http://" + server.host() + ":" + server.port();
	}

	public int hits() {
		return hits.get();
	}

	public TestUpstream delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	public TestUpstream status(int status) {
		this.status = status;
		return this;
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

	/** A loopback URL where nothing listens: connections to it are refused. */
	public static String refusingUrl() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
