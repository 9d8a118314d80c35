package io.meshgate.policy.security.jwt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An identity provider's JWKS endpoint on loopback: serves the key set it is given now (a test
 * rotates keys by giving it another) and counts the fetches.
 */
public final class JwksServer implements AutoCloseable {

	private final AtomicReference<String> jwks;

	private final AtomicInteger fetches = new AtomicInteger();

	private final DisposableServer server;

	public JwksServer(String jwks) {
		this.jwks = new AtomicReference<>(jwks);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.get("/jwks.json", (request, response) -> {
				fetches.incrementAndGet();
				return response.header("Content-Type", "application/json")
					.sendByteArray(Mono.just(this.jwks.get().getBytes(StandardCharsets.UTF_8)))
					.then();
			}))
			.bindNow(Duration.ofSeconds(10));
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + server.port() + "/jwks.json");
	}

	/** Serves {@code jwks} from now on. */
	void serve(String jwks) {
		this.jwks.set(jwks);
	}

	int fetches() {
		return fetches.get();
	}

	@Override
	public void close() {
		server.disposeNow(Duration.ofSeconds(5));
	}

}
