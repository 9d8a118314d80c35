package io.meshgate.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.json.JsonWriter;

/**
 * A small HTTP service that answers every request with JSON naming its version and endpoint:
 * {@code {"service":"demo","version":"v1","endpoint":"demo-v1-a","method":"GET","path":"/demo/"}};
 * and, for the WebSocket and server-sent events examples, a WebSocket echo on {@code /demo/ws}
 * (each text frame back as {@code <endpoint>: <text>}) and a stream of {@value #EVENTS} events, one
 * every {@link #EVENT_INTERVAL}, on {@code /demo/events}.
 * The gateway starts three of them in its own JVM for the demo; docker-compose runs each in a
 * container of its own ({@link #main}).
 */
public final class DemoUpstreamServer {

	private static final JsonWriter<Object> JSON = JsonWriter.standard();

	/** How many events {@code /demo/events} sends before it ends. */
	static final int EVENTS = 5;

	/** The time between two events of {@code /demo/events}: slow enough to watch them arrive. */
	static final Duration EVENT_INTERVAL = Duration.ofSeconds(1);

	private DemoUpstreamServer() {
	}

	public static DisposableServer start(String host, int port, String version, String endpoint) {
		return start(host, port, version, endpoint, 0);
	}

	/**
	 * A version that answers every {@code failEvery}-th request (0: none) with 503 and a JSON body
	 * saying so: the demo's failing canary, which a rollout rolls back (docs/rollouts.md).
	 */
	public static DisposableServer start(String host, int port, String version, String endpoint, int failEvery) {
		AtomicLong requests = new AtomicLong();
		return HttpServer.create()
			.host(host)
			.port(port)
			.route(routes -> routes.get("/healthz", (request, response) -> respond(response, "{\"status\":\"UP\"}"))
				.ws("/demo/ws", (in, out) -> out.sendString(in.receive().asString().map(text -> endpoint + ": " + text)))
				.get("/demo/events", (request, response) -> response.header("Content-Type", "text/event-stream")
					// a comment line first: the response headers leave at once, within any route timeout
					.sendString(Flux.concat(Flux.just(": " + EVENTS + " events from " + endpoint + "\n\n"),
							Flux.interval(EVENT_INTERVAL)
								.take(EVENTS)
								.map(i -> "id: " + (i + 1) + "\ndata: " + endpoint + " event " + (i + 1) + "\n\n"))))
				.route(request -> true, (request, response) -> {
					if (failEvery > 0 && requests.incrementAndGet() % failEvery == 0) {
						return respond(response.status(503), "{\"service\":\"demo\",\"version\":\"" + version
								+ "\",\"error\":\"this version fails one request in " + failEvery + "\"}");
					}
					return respond(response, body(request, version, endpoint));
				}))
			.bindNow(Duration.ofSeconds(10));
	}

	private static String body(HttpServerRequest request, String version, String endpoint) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("service", "demo");
		body.put("version", version);
		body.put("endpoint", endpoint);
		body.put("method", request.method().name());
		body.put("path", request.uri());
		return JSON.writeToString(body);
	}

	private static Mono<Void> respond(HttpServerResponse response, String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		return response.header("Content-Type", "application/json")
			.header("Content-Length", String.valueOf(bytes.length))
			.sendByteArray(Mono.just(bytes))
			.then();
	}

	/**
	 * Runs one demo upstream on its own: {@code DEMO_VERSION=v1 DEMO_ENDPOINT=demo-v1-a
	 * DEMO_PORT=9000}.
	 */
	public static void main(String[] args) {
		String version = System.getenv().getOrDefault("DEMO_VERSION", "v1");
		String endpoint = System.getenv().getOrDefault("DEMO_ENDPOINT", "demo-" + version);
		int port = Integer.parseInt(System.getenv().getOrDefault("DEMO_PORT", "9000"));
		DisposableServer server = start("0.0.0.0", port, version, endpoint);
		System.out.println("Demo upstream " + endpoint + " (" + version + ") on port " + server.port());
		server.onDispose().block();
	}

}
