package io.meshgate.gateway.admin;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the admin port over real HTTP: with Basic credentials (scripts), with a login
 * session and its CSRF token (the UI's way), or anonymous.
 */
final class AdminClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String base;

	private final String authorization;

	private String csrfHeader;

	private String csrfToken;

	/** An answer: status, body, ETag and the body parsed when it is JSON. */
	record Answer(int status, String body, String etag, HttpResponse<String> response) {

		@SuppressWarnings("unchecked")
		Map<String, Object> json() {
			return JSON.readValue(body, LinkedHashMap.class);
		}

		long version() {
			return Long.parseLong(etag.replace("\"", ""));
		}

	}

	private AdminClient(int port, String authorization, boolean cookies) {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5));
		if (cookies) {
			builder.cookieHandler(new CookieManager());
		}
		this.http = builder.build();
		this.base = "http://127.0.0.1:" + port;
		this.authorization = authorization;
	}

	static AdminClient basic(int port, String user, String password) {
		return new AdminClient(port, "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), false);
	}

	static AdminClient anonymous(int port) {
		return new AdminClient(port, null, true);
	}

	/** Logs in through the login form, as a browser does, and fetches the CSRF token for API writes. */
	static AdminClient session(int port, String user, String password) {
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
	AdminClient withoutCsrfToken() {
		this.csrfToken = null;
		return this;
	}

	Answer form(String path, Map<String, String> fields) {
		StringBuilder body = new StringBuilder();
		fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
			.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
			.append('=')
			.append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
		return exchange(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString())));
	}

	Answer get(String path) {
		return send("GET", path, null, Map.of());
	}

	Answer put(String path, Object json, String ifMatch) {
		return send("PUT", path, json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	Answer post(String path, Object json, String ifMatch) {
		return send("POST", path, json, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	Answer delete(String path, String ifMatch) {
		return send("DELETE", path, null, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
	}

	Answer send(String method, String path, Object body, Map<String, String> headers) {
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

	private Answer exchange(HttpRequest.Builder request) {
		request.timeout(Duration.ofSeconds(20));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (csrfToken != null) {
			request.header(csrfHeader, csrfToken);
		}
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

	static List<String> lines(String text) {
		return text.lines().toList();
	}

}
