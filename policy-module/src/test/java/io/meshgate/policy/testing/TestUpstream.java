package io.meshgate.policy.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP server on a loopback port chosen by the OS, answering every request with its own
 * name as the body. Its status and delay can be changed while it runs; it counts what it served.
 */
public final class TestUpstream implements AutoCloseable {

	private final String name;

	private final AtomicInteger hits = new AtomicInteger();

	private final Queue<Received> requests = new ConcurrentLinkedQueue<>();

	/** A request as the upstream received it; header names in lower case, repeated ones joined by ", ". */
	public record Received(String method, String uri, Map<String, String> headers, byte[] body) {

	}

	private volatile int status = 200;

	private volatile Duration delay = Duration.ZERO;

	private volatile int healthStatus = 200;

	/** Answers still to fail with {@link #failingStatus} before {@link #status} applies again. */
	private final AtomicInteger failuresLeft = new AtomicInteger();

	private volatile int failingStatus;

	/** Draws which answers fail at {@link #failingShare}; null while none do. */
	private volatile SplittableRandom failures;

	private volatile double failingShare;

	private final DisposableServer server;

	private TestUpstream(String name, String host, int port) {
		this.name = name;
		this.server = HttpServer.create()
			.host(host)
			.port(port)
			.handle((request, response) -> request.receive()
				.aggregate()
				.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMap(body -> answer(request, response, body)))
			.bindNow(Duration.ofSeconds(10));
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, byte[] received) {
		if (request.uri().equals(HEALTH_PATH)) {
			return response.status(healthStatus).header("Content-Length", "0").send();
		}
		hits.incrementAndGet();
		Map<String, String> headers = new LinkedHashMap<>();
		request.requestHeaders()
			.forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
		requests.add(new Received(request.method().name(), request.uri(), headers, received));
		byte[] body = name.getBytes(StandardCharsets.UTF_8);
		int answered = failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 || failsByChance() ? failingStatus
				: status;
		Mono<Void> answer = response.status(answered)
			.header("Content-Type", "text/plain")
			.header("Content-Length", String.valueOf(body.length))
			.header("X-Upstream", name)
			.sendByteArray(Mono.just(body))
			.then();
		Duration wait = delay;
		return wait.isZero() ? answer : Mono.delay(wait).then(answer);
	}

	/** Answered with {@link #healthStatus(int)}, and not counted as a hit. */
	public static final String HEALTH_PATH = "/healthz";

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

	/** The requests received so far, oldest first. */
	public List<Received> received() {
		return List.copyOf(requests);
	}

	public TestUpstream delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	public TestUpstream healthStatus(int status) {
		this.healthStatus = status;
		return this;
	}

	/**
	 * The next {@code count} requests are answered {@code status}, then {@link #status(int)}'s status
	 * again (echo-basic's retry simulation: a backend that recovers after a number of tries).
	 */
	public TestUpstream failNext(int count, int status) {
		this.failingStatus = status;
		this.failuresLeft.set(count);
		return this;
	}

	/**
	 * Each request from now on fails with {@code status} with probability {@code share}, drawn from
	 * a generator seeded with {@code seed}: the n-th request after this call fails or not alike in
	 * every run.
	 */
	public TestUpstream failRandomly(double share, long seed, int status) {
		this.failingStatus = status;
		this.failingShare = share;
		this.failures = new SplittableRandom(seed);
		return this;
	}

	private boolean failsByChance() {
		SplittableRandom random = failures;
		if (random == null) {
			return false;
		}
		synchronized (random) {
			return random.nextDouble() < failingShare;
		}
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
