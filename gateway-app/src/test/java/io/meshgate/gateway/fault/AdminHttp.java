package io.meshgate.gateway.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin API over real HTTP with Basic credentials (the way scripts call it: no session, no
 * CSRF token), on the JDK client. Bodies are sent as given, bytes and all, so that malformed ones
 * reach the gateway as they are.
 */
final class AdminHttp {

	/** An answer: its status (-1 when the connection failed before an answer came), body and ETag. */
	record Answer(int status, String body, String etag) {

	}

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final String authorization;

	AdminHttp(int port, String user, String password) {
		this.base = "http://127.0.0.1:" + port;
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	Answer get(String path) {
		return send("GET", path, null, null, null);
	}

	/** Sends {@code body} ({@code null}: none) with {@code contentType}, and {@code If-Match} when not null. */
	Answer send(String method, String path, byte[] body, String contentType, String ifMatch) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", authorization)
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		// the status as soon as the head arrives: a gateway that refuses a large body early and closes
		// the connection while the client still sends can reset it before the answer's body is read
		AtomicInteger status = new AtomicInteger(-1);
		try {
			HttpResponse<String> response = http.send(request.build(), info -> {
				status.set(info.statusCode());
				return HttpResponse.BodyHandlers.ofString().apply(info);
			});
			return new Answer(response.statusCode(), response.body(),
					response.headers().firstValue("ETag").orElse(null));
		}
		catch (IOException ex) {
			return new Answer(status.get(), "(connection closed before the body was read) " + ex, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	Answer putJson(String path, String json, String ifMatch) {
		return send("PUT", path, json.getBytes(StandardCharsets.UTF_8), "application/json", ifMatch);
	}

}
