package io.meshgate.policy.upstream.call;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.stream.WebSocketBridge;
import io.meshgate.policy.stream.WebSocketHandshake;
import io.meshgate.policy.stream.WebSocketPolicy;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.isAlreadyRouted;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.setAlreadyRouted;

/**
 * Proxies a WebSocket upgrade on any route, in the place of Spring Cloud Gateway's
 * {@code WebsocketRoutingFilter}, as one more way of making the try's upstream call: the endpoint
 * is the one {@link UpstreamCallFilter} picked (load balancing, health, ejections,
 * breaker) and the client is the upstream's own (its TLS), as for any request.
 * <ol>
 * <li>The client's handshake is checked ({@link WebSocketHandshake}); a broken one is answered 400.</li>
 * <li>The upstream is asked first, with the client's headers as the routing filter sends them and
 * the subprotocols it offered. A refused connection, a reset or a failed TLS handshake fails
 * the try as for any request (502, outlier detection, breaker, retries); an upstream that answers
 * other than 101 has its status passed to the client, without its body.</li>
 * <li>Only then is the client switched, with the subprotocol the upstream chose and the
 * upstream's response headers, and the two sessions are bridged ({@link WebSocketBridge}).</li>
 * </ol>
 * The try ends when both handshakes are done (status 101): the session that follows is neither a
 * call the route's timeout or a retry's per-try timeout can cut, nor one the breaker can count as
 * slow. Spring Cloud Gateway's own filter switches the client before it calls the upstream, with
 * the gateway's one global client: a down upstream is a 101 and an immediate close, which neither
 * breaker nor outlier detection sees, and an upstream's TLS settings are not used.
 */
public final class WebSocketProxyFilter implements GlobalFilter, Ordered {

	private final HttpClient gatewayClient;

	private final UpstreamRoutingFilter routing;

	/** @param routing whose header filters the handshake's request goes through, as any request's */
	public WebSocketProxyFilter(HttpClient gatewayClient, UpstreamRoutingFilter routing) {
		this.gatewayClient = gatewayClient;
		this.routing = routing;
	}

	@Override
	public int getOrder() {
		return PolicyOrder.WEBSOCKET;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!WebSocketHandshake.requested(exchange.getRequest()) || isAlreadyRouted(exchange)) {
			return chain.filter(exchange);
		}
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
		boolean secure = scheme.equals("https") || scheme.equals("wss");
		if (!secure && !scheme.equals("http") && !scheme.equals("ws")) {
			return chain.filter(exchange);
		}
		setAlreadyRouted(exchange);
		if (!WebSocketHandshake.valid(exchange.getRequest())) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST));
		}
		UpstreamCall call = UpstreamCall.of(exchange);
		HttpClient own = call == null ? null : call.upstream().httpClient();
		WebSocketPolicy policy = call == null ? WebSocketPolicy.DEFAULT : call.upstream().spec().webSocketOrDefault();
		HttpHeaders headers = upstreamHeaders(exchange);
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
			.handlePing(false)
			.maxFramePayloadLength(policy.maxFramePayloadLength());
		String protocols = WebSocketHandshake.protocols(exchange.getRequest().getHeaders());
		if (protocols != null) {
			spec.protocols(protocols);
		}
		return (own != null ? own : gatewayClient).headers(out -> headers.forEach(out::add))
			.websocket(spec.build())
			.uri(webSocketUrl(url, secure))
			.connect()
			.onErrorMap(WebSocketClientHandshakeException.class,
					failed -> failed.response() != null ? new UpstreamRefusedUpgrade(failed.response().status().code())
							: new IOException("the upstream closed the connection during the WebSocket handshake",
									failed))
			.flatMap(upstream -> WebSocketBridge.open(exchange, (Connection) upstream, (WebsocketInbound) upstream,
					policy, call == null ? null : call.endpoint()))
			.onErrorResume(UpstreamRefusedUpgrade.class, refused -> {
				exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(refused.status));
				exchange.getResponse().getHeaders().setContentLength(0);
				return exchange.getResponse().setComplete();
			});
	}

	/**
	 * The request's headers as the routing filter sends them (forwarding headers, hop-by-hop ones
	 * removed), without {@code Host} (the handshake names the endpoint) and without the client's
	 * {@code Sec-WebSocket-*} headers: the gateway makes its own handshake, and negotiates no
	 * extensions, so that frames pass unchanged.
	 */
	private HttpHeaders upstreamHeaders(ServerWebExchange exchange) {
		HttpHeaders filtered = HttpHeadersFilter.filterRequest(routing.getHeadersFilters(), exchange);
		HttpHeaders headers = new HttpHeaders();
		filtered.forEach((name, values) -> {
			if (!name.equalsIgnoreCase(HttpHeaders.HOST) && !name.regionMatches(true, 0, "sec-websocket-", 0, 14)) {
				headers.addAll(name, values);
			}
		});
		return headers;
	}

	/** {@code url} with the WebSocket scheme: {@code wss} for a TLS endpoint, whose client then speaks TLS. */
	static URI webSocketUrl(URI url, boolean secure) {
		String rest = url.toString().substring(url.getScheme().length());
		return URI.create((secure ? "wss" : "ws") + rest);
	}

	/** The upstream answered the handshake with {@code status} instead of 101. */
	private static final class UpstreamRefusedUpgrade extends RuntimeException {

		private final int status;

		UpstreamRefusedUpgrade(int status) {
			super("upstream answered " + status, null, false, false);
			this.status = status;
		}

	}

}
