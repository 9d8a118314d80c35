package io.meshgate.policy.security.peer;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.edge.EdgeFilter;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.security.Identity;

/**
 * The edge's client-certificate step, on every request before route lookup
 * ({@link PolicyOrder#EDGE_PEER_IDENTITY}):
 * <ul>
 * <li>a client-sent {@code x-forwarded-client-cert} is removed, on every listener, TLS or not;</li>
 * <li>on a TLS connection, a request for a host whose client-certificate requirement differs from
 * the one the connection was verified with is answered 421 ({@link ClientCertificateHosts});</li>
 * <li>the client certificate the handshake verified becomes the request's peer identity
 * ({@link Identity#peer()}), and, with {@link ForwardClientCertDetails#SANITIZE_SET}, the
 * upstream's {@code x-forwarded-client-cert}.</li>
 * </ul>
 * What a connection's certificate says is derived once per TLS session ({@link PeerConnection})
 * and found once per connection ({@link TlsSessions}); a request with nothing to change (no
 * client header, no certificate) passes without a header copy.
 */
public final class PeerIdentityFilter implements EdgeFilter {

	static final String MISDIRECTED = "this connection cannot serve the requested host: open a new connection for it";

	private final ForwardClientCertDetails forward;

	private final ClientCertificateHosts hosts;

	/** @param hosts the listeners' client-certificate requirements by host; null: no check */
	public PeerIdentityFilter(ForwardClientCertDetails forward, ClientCertificateHosts hosts) {
		this.forward = forward;
		this.hosts = hosts;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		boolean clientSent = request.getHeaders().containsHeader(XfccHeader.NAME);
		PeerConnection connection = TlsSessions.of(request);
		String xfcc = null;
		if (connection != null) {
			if (misdirected(request, connection)) {
				return ErrorResponses.write(exchange, HttpStatus.MISDIRECTED_REQUEST, MISDIRECTED, Map.of());
			}
			if (connection.peer() != null) {
				Identity current = Identity.of(exchange);
				Identity.set(exchange, current == Identity.ANONYMOUS ? connection.identity() : current.withPeer(connection.peer()));
				xfcc = forward == ForwardClientCertDetails.SANITIZE_SET ? connection.xfcc() : null;
			}
		}
		if (!clientSent && xfcc == null) {
			return chain.filter(exchange);
		}
		String set = xfcc;
		ServerHttpRequest changed = request.mutate().headers(headers -> {
			headers.remove(XfccHeader.NAME);
			if (set != null) {
				headers.set(XfccHeader.NAME, set);
			}
		}).build();
		return chain.filter(exchange.mutate().request(changed).build());
	}

	private boolean misdirected(ServerHttpRequest request, PeerConnection connection) {
		InetSocketAddress local = request.getLocalAddress();
		String host = host(request.getHeaders().getFirst(HttpHeaders.HOST));
		return hosts != null && local != null && host != null
				&& hosts.misdirected(local.getPort(), connection.serverName(), host);
	}

	/** The host of a {@code Host} header, lower case, without port or trailing dot; null when absent. */
	static String host(String header) {
		if (header == null || header.isEmpty()) {
			return null;
		}
		String host;
		if (header.charAt(0) == '[') {
			int end = header.indexOf(']');
			host = end < 0 ? header : header.substring(0, end + 1);
		}
		else {
			int colon = header.indexOf(':');
			host = colon < 0 ? header : header.substring(0, colon);
		}
		if (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		return host.toLowerCase(Locale.ROOT);
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_PEER_IDENTITY;
	}

	/** A constant name: Spring's web filter chain asks for it on every request. */
	@Override
	public String toString() {
		return "PeerIdentityFilter";
	}

}
