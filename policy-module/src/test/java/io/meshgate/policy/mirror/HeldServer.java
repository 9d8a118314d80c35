package io.meshgate.policy.mirror;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A JSON server on loopback whose answers are held: each request, once read, is answered with its
 * status, headers and first bytes at once, and completed ({@code {"held":true}}) only when the
 * test {@link #release releases} them; from then on every answer completes at once.
 */
final class HeldServer implements AutoCloseable {

	private final AtomicInteger received = new AtomicInteger();

	private final Sinks.Empty<Void> released = Sinks.empty();

	private final DisposableServer server;

	HeldServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.then(Mono.fromRunnable(received::incrementAndGet))
				.then(response.header("Content-Type", "application/json")
					.sendString(Flux.concat(Mono.just("{\"held\":"), released.asMono().then(Mono.just("true}"))))
					.then()))
			.bindNow(Duration.ofSeconds(10));
	}

	String url() {
		return "http://127.0.0.1:" + server.port();
	}

	/** Requests read so far. */
	int received() {
		return received.get();
	}

	void release() {
		released.tryEmitEmpty();
	}

	@Override
	public void close() {
		release();
		server.disposeNow(Duration.ofSeconds(5));
	}

}
