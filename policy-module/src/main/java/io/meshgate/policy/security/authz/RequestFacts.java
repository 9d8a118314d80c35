package io.meshgate.policy.security.authz;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.edge.CidrSet;
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

	private String method;

	private byte[] clientBytes;

	private boolean clientRead;

	/** The header read last, by its interned lower-case name: rules tend to test the same header. */
	private String headerName;

	private String headerValue;

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
		if (method == null) {
			method = exchange.getRequest().getMethod().name();
		}
		return method;
	}

	/** The port the request came in on; -1 when unknown. */
	int localPort() {
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		return local == null ? -1 : local.getPort();
	}

	/**
	 * The client's address as the edge resolved it, as {@link CidrSet#bytes} gives it; {@code null}
	 * when unknown.
	 */
	byte[] clientBytes() {
		if (!clientRead) {
			InetSocketAddress client = ExchangeAttributes.clientAddress(exchange);
			clientBytes = client == null || client.getAddress() == null ? null : CidrSet.bytes(client.getAddress());
			clientRead = true;
		}
		return clientBytes;
	}

	/**
	 * A request header's values joined by {@code ,} (as Envoy reads a repeated header);
	 * {@code null} without one. {@code name} is lower case and interned.
	 */
	String header(String name) {
		if (name != headerName) {
			List<String> values = exchange.getRequest().getHeaders().get(name);
			headerValue = values == null || values.isEmpty() ? null
					: values.size() == 1 ? values.get(0) : String.join(",", values);
			headerName = name;
		}
		return headerValue;
	}

}
