package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.netty.DisposableServer;

/**
 * A pod of a conformance backend: a server on a loopback port answering as the conformance suite's
 * echo server ({@code echo-basic}) does, with a JSON body of the request it saw ({@code path} is
 * the request URI, {@code host}, {@code method}, {@code proto}, {@code headers} as lists of values,
 * and the pod's {@code namespace}, {@code service} and {@code pod}). Like echo-basic it sets the
 * response headers that {@code X-Echo-Set-Header} lists ({@code name:value,name:value}) and waits
 * for the {@code delay} a query parameter names ({@code ?delay=1s}, at most 10 seconds). It keeps
 * the paths it was sent, for the mirror tests. Its WebSocket port echoes every frame of a session
 * on {@code /ws}, as echo-basic does on its one port: the JDK's server cannot switch protocols, so
 * Service ports with {@code appProtocol: kubernetes.io/ws} lead to this port instead
 * ({@link ConformanceCluster}).
 */
final class EchoBackend implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpServer server;

	/** Runs the server's exchanges, and the answers a {@code delay} puts off. */
	private final ScheduledExecutorService executor;

	private final String namespace;

	private final String pod;

	private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

	private final DisposableServer webSockets;

	private EchoBackend(String namespace, String pod) {
		this.namespace = namespace;
		this.pod = pod;
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.executor = Executors.newScheduledThreadPool(4, runnable -> {
			Thread thread = new Thread(runnable, "echo-" + pod);
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		server.createContext("/", this::answer);
		server.start();
		this.webSockets = reactor.netty.http.server.HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.ws("/ws",
					(in, out) -> out.sendObject(in.receiveFrames()
						.filter(frame -> !(frame instanceof CloseWebSocketFrame))
						.map(WebSocketFrame::retain))))
			.bindNow(Duration.ofSeconds(10));
	}

	/** @param pod the pod name, which starts with the backend's name as a Deployment's pods do */
	static EchoBackend start(String namespace, String pod) {
		return new EchoBackend(namespace, pod);
	}

	int port() {
		return server.getAddress().getPort();
	}

	/** The port of the WebSocket echo ({@code /ws}). */
	int webSocketPort() {
		return webSockets.port();
	}

	String pod() {
		return pod;
	}

	/** The request URIs this pod was sent, oldest first. */
	List<String> received() {
		return new ArrayList<>(received);
	}

	private void answer(HttpExchange exchange) throws IOException {
		try (InputStream body = exchange.getRequestBody()) {
			body.readAllBytes();
		}
		received.add(exchange.getRequestURI().toString());
		long delay = delayMillis(exchange.getRequestURI().getRawQuery());
		if (delay == 0) {
			reply(exchange);
		}
		else {
			executor.schedule(() -> {
				reply(exchange);
				return null;
			}, delay, TimeUnit.MILLISECONDS);
		}
	}

	private void reply(HttpExchange exchange) throws IOException {
		try (exchange) {
			String uri = exchange.getRequestURI().toString();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> {
				if (!name.equalsIgnoreCase("host")) {
					headers.put(name, values);
				}
			});
			Map<String, Object> echo = new LinkedHashMap<>();
			echo.put("path", uri);
			echo.put("host", exchange.getRequestHeaders().getFirst("Host"));
			echo.put("method", exchange.getRequestMethod());
			echo.put("proto", exchange.getProtocol());
			echo.put("headers", headers);
			echo.put("namespace", namespace);
			echo.put("ingress", "");
			echo.put("service", "");
			echo.put("pod", pod);
			String set = exchange.getRequestHeaders().getFirst("X-Echo-Set-Header");
			if (set != null && !set.isBlank()) {
				for (String pair : set.split(",")) {
					int colon = pair.indexOf(':');
					if (colon > 0) {
						exchange.getResponseHeaders().add(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
					}
				}
			}
			byte[] bytes = JSON.writeValueAsBytes(echo);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	/**
	 * echo-basic's {@code delay} query parameter, as a Go duration of seconds or milliseconds, at
	 * most 10 s; 0 without one. The answer is scheduled that much later: no thread waits.
	 */
	private static long delayMillis(String query) {
		if (query == null) {
			return 0;
		}
		for (String parameter : query.split("&")) {
			if (parameter.startsWith("delay=")) {
				String value = parameter.substring("delay=".length());
				long millis = value.endsWith("ms") ? Long.parseLong(value.substring(0, value.length() - 2))
						: (long) (Double.parseDouble(value.substring(0, value.length() - 1)) * 1000);
				return Math.min(millis, 10_000);
			}
		}
		return 0;
	}

	@Override
	public void close() {
		server.stop(0);
		webSockets.disposeNow(Duration.ofSeconds(5));
		executor.shutdownNow();
	}

}
