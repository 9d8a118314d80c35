package io.meshgate.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * The tests' one client of the admin port over real HTTP: with Basic credentials (scripts), with a
 * login session and its CSRF token (the UI's way), or anonymous. Objects are sent as JSON, strings
 * as they are (JSON when they start with a brace, else YAML), bytes as they are with the given
 * content type ({@link #sendBytes}, for malformed payloads).
 */
public final class AdminClient {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	/** One JDK client for every client without cookies: Basic credentials need no state. */
	private static final HttpClient STATELESS = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpClient http;

	private final String base;

	private final String authorization;

	private String csrfHeader;

	private String csrfToken;

	/**
	 * An answer: status, body, ETag and the body parsed when it is JSON. From {@link #sendBytes}, the
	 * status is -1 and {@code response} null when the connection failed before an answer came.
	 */
	public record Answer(int status, String body, String etag, HttpResponse<String> response) {

		@SuppressWarnings("unchecked")
		public Map<String, Object> json() {
			return JSON.readValue(body, LinkedHashMap.class);
		}

		public long version() {
			return Long.parseLong(etag.replace("\"", ""));
		}

	}

	private AdminClient(int port, String authorization, boolean cookies) {
		this.http = !cookies ? STATELESS
				: HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(5))
					.cookieHandler(new CookieManager())
					.build();
		this.base = "http://127.0.0.1:" + port;
		this.authorization = authorization;
	}

	public static AdminClient basic(int port, String user, String password) {
		return new AdminClient(port, "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), false);
	}

	public static AdminClient anonymous(int port) {
		return new AdminClient(port, null, true);
	}

	/** Logs in through the login form, as a browser does, and fetches the CSRF token for API writes. */
	public static AdminClient session(int port, String user, String password) {
		AdminClient client = anonymous(port);
		Answer page = client.send("GET", "/login", null, Map.of());
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
		if (!csrf.find()) {
			throw new IllegalStateException("no CSRF field in the login page: " + page.body());
		}
		Answer login = client.form("/login", Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
		if (login.status() != 302 || login.response().headers().firstValue("Location").orElse("").contains("error")) {
			throw new IllegalStateException("login failed: " + login.status() + " " + login.response().headers().map());
		}
		Map<String, Object> me = client.get("/api/me").json();
		@SuppressWarnings("unchecked")
		Map<String, String> token = (Map<String, String>) me.get("csrf");
		client.csrfHeader = token.get("headerName");
		client.csrfToken = token.get("token");
		return client;
	}

	/** The same session without sending its CSRF token. */
	public AdminClient withoutCsrfToken() {
		this.csrfToken = null;
		return this;
	}

	public Answer form(String path, Map<String, String> fields) {
		StringBuilder body = new StringBuilder();
		fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
			.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
			.append('=')
			.append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
		return exchange(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString())));
	}

	public Answer get(String path) {
		return send("GET", path, null, Map.of());
	}

	public Answer put(String path, Object json, String ifMatch) {
		return send("PUT", path, json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	public Answer post(String path, Object json, String ifMatch) {
		return send("POST", path, json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	public Answer delete(String path, String ifMatch) {
		return send("DELETE", path, null, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	public Answer send(String method, String path, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
		String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
		if (text != null) {
			request.header("Content-Type", body instanceof String && !text.startsWith("{") ? "application/yaml"
					: "application/json");
		}
		request.method(method,
				text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
		headers.forEach(request::header);
		return exchange(request);
	}

	/**
	 * Sends {@code body} ({@code null}: none) with {@code contentType}, and {@code If-Match} when
	 * not null. The status counts as soon as the head arrives: a gateway that refuses a large body
	 * early and closes the connection while the client still sends can reset it before the
	 * answer's body is read; a connection that fails before any answer gives status -1.
	 */
	public Answer sendBytes(String method, String path, byte[] body, String contentType, String ifMatch) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		AtomicInteger status = new AtomicInteger(-1);
		try {
			HttpResponse<String> response = http.send(authorized(request).build(), info -> {
				status.set(info.statusCode());
				return HttpResponse.BodyHandlers.ofString().apply(info);
			});
			return new Answer(response.statusCode(), response.body(), response.headers().firstValue("ETag").orElse(null),
					response);
		}
		catch (IOException ex) {
			return new Answer(status.get(), "(connection closed before the body was read) " + ex, null, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder authorized(HttpRequest.Builder request) {
		request.timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (csrfToken != null) {
			request.header(csrfHeader, csrfToken);
		}
		return request;
	}

	private Answer exchange(HttpRequest.Builder request) {
		authorized(request);
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response.headers().firstValue("ETag").orElse(null),
					response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static List<String> lines(String text) {
		return text.lines().toList();
	}

}
