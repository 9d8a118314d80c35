package io.meshgate.policy.security.authz;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.security.Identity;

/**
 * What the policies of one request read, each part looked up on first use and kept: a request
 * that only a path rule looks at never has its host normalized or its identity read. One per
 * request that has policies to evaluate; not shared between threads.
 */
final class RequestFacts {

	private final ServerWebExchange exchange;

	private Identity identity;

	private String host;

	private boolean hostRead;

	private String path;

	RequestFacts(ServerWebExchange exchange) {
		this.exchange = exchange;
	}

	Identity identity() {
		if (identity == null) {
			identity = Identity.of(exchange);
		}
		return identity;
	}

	/** The {@code Host} header (the one routes match) as hosts are compared; {@code null} without one. */
	String host() {
		if (!hostRead) {
			host = ValueMatch.requestHost(exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST));
			hostRead = true;
		}
		return host;
	}

	/** The normalized path routes matched, without query. */
	String path() {
		if (path == null) {
			path = exchange.getRequest().getPath().pathWithinApplication().value();
		}
		return path;
	}

	String method() {
		return exchange.getRequest().getMethod().name();
	}

	/** The port the request came in on; -1 when unknown. */
	int localPort() {
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		return local == null ? -1 : local.getPort();
	}

	/** The client's address as the edge resolved it; {@code null} when unknown. */
	InetSocketAddress client() {
		return ExchangeAttributes.clientAddress(exchange);
	}

	/** A request header's values joined by {@code ,} (as Envoy reads a repeated header); {@code null} without one. */
	String header(String name) {
		ServerHttpRequest request = exchange.getRequest();
		List<String> values = request.getHeaders().get(name);
		if (values == null || values.isEmpty()) {
			return null;
		}
		return values.size() == 1 ? values.get(0) : String.join(",", values);
	}

}
