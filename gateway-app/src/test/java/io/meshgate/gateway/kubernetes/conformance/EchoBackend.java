package io.meshgate.gateway.kubernetes.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A pod of a conformance backend: a server on a loopback port answering as the conformance suite's
 * echo server ({@code echo-basic}) does, with a JSON body of the request it saw ({@code path} is
 * the request URI, {@code host}, {@code method}, {@code proto}, {@code headers} as lists of values,
 * and the pod's {@code namespace}, {@code service} and {@code pod}). Like echo-basic it sets the
 * response headers that {@code X-Echo-Set-Header} lists ({@code name:value,name:value}) and waits
 * for the {@code delay} a query parameter names ({@code ?delay=1s}, at most 10 seconds). It keeps
 * the paths it was sent, for the mirror tests. Its WebSocket port echoes every frame of a session
 * on {@code /ws}, as echo-basic does on its one port: the JDK's server cannot switch protocols, so
 * Service ports with {@code appProtocol: kubernetes.io/ws} lead to this port instead, and those
 * with {@code kubernetes.io/h2c} to its h2c port
 * ({@link ConformanceCluster}). A TLS pod ({@link #startTls}, echo-basic with
 * {@code TLS_SERVER_CERT}) serves HTTPS only, on Reactor Netty (the JDK's HTTPS server misreads
 * some clients' TLS 1.3 records), and adds echo-basic's {@code tls} object: the {@code version},
 * the {@code serverName} the client sent (SNI) and the {@code cipherSuite}.
 */
final class EchoBackend implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The plain pod's server; null for a TLS pod. */
	private final HttpServer server;

	/** The TLS pod's server; null for a plain pod. */
	private final DisposableServer tlsServer;

	/** Runs the server's exchanges, and the answers a {@code delay} puts off. */
	private final ScheduledExecutorService executor;

	private final String namespace;

	private final String pod;

	private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

	/** The plain pod's WebSocket echo; null for a TLS pod. */
	private final DisposableServer webSockets;

	/**
	 * The plain pod's HTTP/2 cleartext echo (prior knowledge), where Service ports with
	 * {@code appProtocol: kubernetes.io/h2c} lead, as echo-basic serves h2c on its one port; null for a TLS pod.
	 */
	private final DisposableServer h2c;

	private EchoBackend(String namespace, String pod, SslContext tls) {
		this.namespace = namespace;
		this.pod = pod;
		this.executor = null;
		this.server = null;
		this.webSockets = null;
		this.tlsServer = reactor.netty.http.server.HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure(spec -> spec.sslContext(tls))
			.handle((request, response) -> reactorAnswer(request, response, true))
			.bindNow(Duration.ofSeconds(10));
		this.h2c = null;
	}

	/** The echo on Reactor Netty (the TLS pod, the h2c port), with echo-basic's {@code tls} object when {@code secure}. */
	private Mono<Void> reactorAnswer(HttpServerRequest request, HttpServerResponse response, boolean secure) {
		return request.receive().aggregate().then(Mono.defer(() -> {
			received.add(request.uri());
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders().forEach(h -> {
				if (!h.getKey().equalsIgnoreCase("host")) {
					headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
				}
			});
			Map<String, Object> echo = echo(request.uri(), request.requestHeaders().get("Host"),
					request.method().name(), request.version().text(), headers);
			if (secure) {
				request.withConnection(connection -> echo.put("tls",
						tls(connection.channel().pipeline().get(SslHandler.class).engine().getSession())));
			}
			setHeaders(request.requestHeaders().get("X-Echo-Set-Header"), response.responseHeaders()::add);
			byte[] bytes = json(echo);
			return response.header("Content-Type", "application/json")
				.header("Content-Length", String.valueOf(bytes.length))
				.sendByteArray(Mono.just(bytes))
				.then()
				.delaySubscription(Duration.ofMillis(delayMillis(URI.create(request.uri()).getRawQuery())));
		}));
	}

	private EchoBackend(String namespace, String pod) {
		this.namespace = namespace;
		this.pod = pod;
		this.tlsServer = null;
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
		this.h2c = reactor.netty.http.server.HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2C)
			.handle((request, response) -> reactorAnswer(request, response, false))
			.bindNow(Duration.ofSeconds(10));
	}

	/** @param pod the pod name, which starts with the backend's name as a Deployment's pods do */
	static EchoBackend start(String namespace, String pod) {
		return new EchoBackend(namespace, pod);
	}

	/** A pod serving HTTPS with {@code tls}'s server certificate. */
	static EchoBackend startTls(String namespace, String pod, SslContext tls) {
		return new EchoBackend(namespace, pod, tls);
	}

	int port() {
		return server != null ? server.getAddress().getPort() : tlsServer.port();
	}

	/** The port of the h2c echo. */
	int h2cPort() {
		return h2c.port();
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
			Map<String, List<String>> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> {
				if (!name.equalsIgnoreCase("host")) {
					headers.put(name, values);
				}
			});
			Map<String, Object> echo = echo(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host"),
					exchange.getRequestMethod(), exchange.getProtocol(), headers);
			setHeaders(exchange.getRequestHeaders().getFirst("X-Echo-Set-Header"), exchange.getResponseHeaders()::add);
			byte[] bytes = json(echo);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	/** echo-basic's answer: the request as the pod saw it ({@code headers} without Host). */
	private Map<String, Object> echo(String uri, String host, String method, String protocol,
			Map<String, List<String>> headers) {
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("path", uri);
		echo.put("host", host);
		echo.put("method", method);
		echo.put("proto", protocol);
		echo.put("headers", headers);
		echo.put("namespace", namespace);
		echo.put("ingress", "");
		echo.put("service", "");
		echo.put("pod", pod);
		return echo;
	}

	/** The response headers {@code X-Echo-Set-Header} lists ({@code name:value,name:value}). */
	private static void setHeaders(String set, BiConsumer<String, String> header) {
		if (set != null && !set.isBlank()) {
			for (String pair : set.split(",")) {
				int colon = pair.indexOf(':');
				if (colon > 0) {
					header.accept(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
				}
			}
		}
	}

	private static byte[] json(Map<String, Object> echo) {
		try {
			return JSON.writeValueAsBytes(echo);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** echo-basic's {@code tls} object of a connection. */
	private static Map<String, Object> tls(SSLSession session) {
		String serverName = "";
		if (session instanceof ExtendedSSLSession extended) {
			for (SNIServerName name : extended.getRequestedServerNames()) {
				if (name instanceof SNIHostName hostName) {
					serverName = hostName.getAsciiName();
				}
			}
		}
		Map<String, Object> tls = new LinkedHashMap<>();
		tls.put("version", session.getProtocol());
		tls.put("serverName", serverName);
		tls.put("cipherSuite", session.getCipherSuite());
		return tls;
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
		if (server != null) {
			server.stop(0);
			webSockets.disposeNow(Duration.ofSeconds(5));
			h2c.disposeNow(Duration.ofSeconds(5));
			executor.shutdownNow();
		}
		else {
			tlsServer.disposeNow(Duration.ofSeconds(5));
		}
	}

}
