package io.meshgate.policy.edge;

import java.net.InetSocketAddress;
import java.net.URI;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.error.ErrorResponses;

/**
 * The edge's view of who sent a request, before any route is looked up:
 * <ul>
 * <li>the client's address ({@link ClientAddressResolver}: forwarding headers count only from
 * trusted proxies) goes into {@link ExchangeAttributes#CLIENT_ADDRESS}, which rate limits,
 * sticky keys, load balancing, the canary override's source check, metrics and the access log
 * read;</li>
 * <li>from a trusted proxy, the scheme and host it forwarded become the request URL's (a
 * redirect's {@code Location} follows them); from anyone else they are ignored;</li>
 * <li>the client's {@code x-meshgate-*} headers and those its {@code Connection} header names are
 * removed ({@link ClientHeaders});</li>
 * <li>a CORS preflight's answer, whoever writes it (a route's CORS policy, Spring Cloud Gateway's
 * {@code globalcors}, any handler mapping of WebFlux's), commits only once the request's end has
 * been read ({@link ErrorResponses#drainRequest}). A preflight is answered in the call that reads
 * its headers; Reactor Netty stops the request's timer ({@code meshgate.ingress.request-body-timeout})
 * only when the request's end reaches the request, and until then the timer holds it.</li>
 * </ul>
 * A request that needs none of this (the usual case: no trusted proxies, no such headers) passes
 * as it is: no header copy, one attribute set.
 */
public final class ClientRequestFilter implements EdgeFilter {

	private final ClientAddressResolver resolver;

	public ClientRequestFilter(ClientAddressResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		InetSocketAddress peer = request.getRemoteAddress();
		URI forwardedUrl = null;
		InetSocketAddress client = peer;
		if (resolver.trusts(peer)) {
			ClientAddressResolver.Forwarding forwarding = resolver.resolve(peer, request.getHeaders()::get);
			client = forwarding.client();
			forwardedUrl = ForwardedUrl.of(request.getURI(), forwarding.proto(), forwarding.host());
		}
		if (client != null) {
			exchange.getAttributes().put(ExchangeAttributes.CLIENT_ADDRESS, client);
		}
		if (CorsUtils.isPreFlightRequest(request)) {
			exchange.getResponse().beforeCommit(() -> ErrorResponses.drainRequest(exchange));
		}
		boolean sanitize = needsSanitizing(request);
		if (!sanitize && forwardedUrl == null) {
			return chain.filter(exchange);
		}
		ServerHttpRequest.Builder changed = request.mutate();
		if (sanitize) {
			changed.headers(ClientHeaders::sanitize);
		}
		if (forwardedUrl != null) {
			changed.uri(forwardedUrl);
		}
		return chain.filter(exchange.mutate().request(changed.build()).build());
	}

	private static boolean needsSanitizing(ServerHttpRequest request) {
		try {
			if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) {
				return ClientHeaders.needsSanitizing(netty.requestHeaders());
			}
		}
		catch (IllegalArgumentException | IllegalStateException notNetty) {
			// another server, or a mock: Spring's view of the headers below
		}
		return ClientHeaders.needsSanitizing(request.getHeaders());
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_CLIENT;
	}

	/**
	 * A constant name: Spring's {@code DefaultWebFilterChain} asks every web filter for its
	 * {@code toString()} on every request (a Reactor checkpoint's description), and
	 * {@code Object.toString()} builds a new string of class name and hash code each time.
	 */
	@Override
	public String toString() {
		return "ClientRequestFilter";
	}

}
