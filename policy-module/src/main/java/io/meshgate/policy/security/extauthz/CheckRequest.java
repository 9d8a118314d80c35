package io.meshgate.policy.security.extauthz;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;

/**
 * What the gateway sends the auth service for one request: its method, its path and query (to be
 * appended to the auth service's path), and the headers. The headers are the listed ones of the
 * client, then the ones the gateway writes: {@code x-forwarded-for} (the client address resolved at
 * the edge, which trusts forwarded headers only from configured proxies), {@code x-forwarded-proto},
 * {@code x-forwarded-host}, {@code x-forwarded-method}, {@code x-forwarded-uri} (Traefik's and
 * ingress-nginx's names, for auth services that read them) and {@code content-length: 0}: the body
 * never goes. The path is the one routes matched, normalized at the edge. This is everything the
 * auth service can decide on, so it is also what the decision cache is keyed on.
 */
record CheckRequest(String method, String pathAndQuery, HttpHeaders headers) {

	static CheckRequest of(ServerWebExchange exchange, List<String> includedHeaders) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = new DefaultHttpHeaders();
		org.springframework.http.HttpHeaders received = request.getHeaders();
		for (String name : includedHeaders) {
			List<String> values = received.get(name);
			if (values != null) {
				headers.add(name, values);
			}
		}
		InetSocketAddress client = ExchangeAttributes.clientAddress(exchange);
		if (client != null && client.getAddress() != null) {
			headers.set("x-forwarded-for", client.getAddress().getHostAddress());
		}
		URI uri = request.getURI();
		if (uri.getScheme() != null) {
			headers.set("x-forwarded-proto", uri.getScheme());
		}
		String host = received.getFirst(org.springframework.http.HttpHeaders.HOST);
		host = host != null ? host : uri.getRawAuthority();
		if (host != null) {
			headers.set("x-forwarded-host", host);
		}
		String method = request.getMethod().name();
		String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
		String pathAndQuery = uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
		headers.set("x-forwarded-method", method);
		headers.set("x-forwarded-uri", pathAndQuery);
		headers.set("content-length", "0");
		return new CheckRequest(method, pathAndQuery, headers);
	}

}
