package io.meshgate.policy.security.jwt;

import java.util.List;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * One place a request may carry a token: a header (with its prefix), a cookie or a query
 * parameter. Reading a place that is absent allocates nothing.
 *
 * @param kind where
 * @param name the header's, cookie's or parameter's name
 * @param prefix taken off a header's value, matched ignoring case; empty elsewhere
 */
record TokenPlace(Kind kind, String name, String prefix) {

	/** Tokens longer than this are not read: no IdP issues them, and parsing is bounded. */
	static final int MAX_TOKEN = 16 * 1024;

	enum Kind {
		HEADER, COOKIE, PARAM
	}

	static List<TokenPlace> of(JwtProvider provider) {
		List<TokenPlace> places = new java.util.ArrayList<>();
		provider.fromHeaders().forEach(header -> places.add(new TokenPlace(Kind.HEADER, header.name(), header.prefix())));
		provider.fromCookies().forEach(cookie -> places.add(new TokenPlace(Kind.COOKIE, cookie, "")));
		provider.fromParams().forEach(param -> places.add(new TokenPlace(Kind.PARAM, param, "")));
		return places;
	}

	/** The token at this place of {@code request}; {@code null} when there is none. */
	String read(ServerHttpRequest request) {
		String value = switch (kind) {
			case HEADER -> request.getHeaders().getFirst(name);
			case COOKIE -> {
				HttpCookie cookie = request.getCookies().getFirst(name);
				yield cookie == null ? null : cookie.getValue();
			}
			case PARAM -> request.getQueryParams().getFirst(name);
		};
		if (value == null) {
			return null;
		}
		if (!prefix.isEmpty()) {
			if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
				return null;
			}
			value = value.substring(prefix.length()).trim();
		}
		return value.isEmpty() || value.length() > MAX_TOKEN ? null : value;
	}

}
