package io.meshgate.admin.ui;

import java.util.Optional;

import org.springframework.http.MediaType;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

import reactor.core.publisher.Mono;

/** The login form of the admin port, with the session's CSRF token; no script, no external assets. */
public final class LoginPage {

	private LoginPage() {
	}

	public static Mono<ServerResponse> render(ServerRequest request) {
		Mono<CsrfToken> csrf = request.exchange().getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
		return csrf.map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(token -> {
			String hidden = token.map(t -> "<input type=\"hidden\" name=\"" + HtmlUtils.htmlEscape(t.getParameterName())
					+ "\" value=\"" + HtmlUtils.htmlEscape(t.getToken()) + "\">").orElse("");
			String notice = request.queryParam("error").isPresent()
					? "<p class=\"error\" role=\"alert\">Wrong user name or password.</p>"
					: request.queryParam("logout").isPresent() ? "<p class=\"notice\">You are logged out.</p>" : "";
			String html = """
					<!doctype html>
					<html lang="en"><head><meta charset="utf-8">
					<meta name="viewport" content="width=device-width, initial-scale=1">
					<title>Meshgate admin: log in</title>
					<link rel="stylesheet" href="/ui/app.css"><link rel="icon" href="/ui/favicon.svg" type="image/svg+xml"></head>
					<body class="login"><main class="card">
					<h1>Meshgate admin</h1>%s
					<form method="post" action="/login">
					<label>User <input name="username" id="username" autocomplete="username" required autofocus></label>
					<label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
					%s<button type="submit" id="login">Log in</button>
					</form></main></body></html>
					""".formatted(notice, hidden);
			return ServerResponse.ok()
				.contentType(MediaType.TEXT_HTML)
				.header("Cache-Control", "no-store")
				.bodyValue(html);
		});
	}

}
