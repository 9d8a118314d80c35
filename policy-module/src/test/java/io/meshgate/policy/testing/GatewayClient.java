package io.meshgate.policy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.IntStream;

/** Sends real HTTP/1.1 requests to a gateway on loopback. */
public final class GatewayClient {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final Map<String, String> defaultHeaders;

	public GatewayClient(int port) {
		this(port, Map.of());
	}

	/** @param defaultHeaders sent with every request, as an {@code Authorization} for the admin port */
	public GatewayClient(int port, Map<String, String> defaultHeaders) {
		this.base = "http://127.0.0.1:" + port;
		this.defaultHeaders = Map.copyOf(defaultHeaders);
	}

	/** A client that logs in with HTTP Basic. */
	public static GatewayClient basic(int port, String user, String password) {
		return new GatewayClient(port, Map.of("Authorization", "Basic "
				+ java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes())));
	}

	public HttpResponse<String> get(String path) {
		return get(path, Map.of());
	}

	public HttpResponse<String> get(String path, Map<String, String> headers) {
		return send("GET", path, headers);
	}

	/** Sends a request without a body. */
	public HttpResponse<String> send(String method, String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, HttpRequest.BodyPublishers.noBody());
		defaultHeaders.forEach(request::header);
		headers.forEach(request::header);
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Sends {@code count} GETs, {@code concurrency} at a time, and returns the bodies; any non-200 fails. */
	public List<String> bodies(int count, int concurrency, Function<Integer, String> path) {
		return responses(count, concurrency, path).stream().map(response -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException(response.statusCode() + " " + response.body());
			}
			return response.body();
		}).toList();
	}

	/** Sends {@code count} GETs, {@code concurrency} at a time, and returns the statuses. */
	public List<Integer> statuses(int count, int concurrency, Function<Integer, String> path) {
		return responses(count, concurrency, path).stream().map(HttpResponse::statusCode).toList();
	}

	private List<HttpResponse<String>> responses(int count, int concurrency, Function<Integer, String> path) {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, count)
				.mapToObj(i -> CompletableFuture.supplyAsync(() -> get(path.apply(i)), pool))
				.toList();
			return answers.stream().map(CompletableFuture::join).toList();
		}
		finally {
			pool.shutdownNow();
		}
	}

}
