package io.meshgate.policy.upstream.call;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.error.ClientBodyFailedException;
import io.meshgate.policy.error.MalformedRequestException;
import io.meshgate.policy.error.RequestBodyTimeoutException;
import io.meshgate.policy.timeout.Timeouts;
import io.meshgate.policy.upstream.HeaderRemoval;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.isAlreadyRouted;

/**
 * Spring Cloud Gateway's routing filter with three changes: a call to an upstream with its own TLS
 * goes out through that upstream's client, not the gateway's single global one (read from the
 * try's {@link UpstreamCall}, no lookup); and the global
 * response timeout ({@code spring.cloud.gateway.server.webflux.httpclient.response-timeout}: time
 * to the upstream's response headers, then 504) runs on the event loop's timer rather than
 * Reactor's (see {@link Timeouts#expiry}), with the same error as the gateway's own. A route with
 * a {@code response-timeout} in its metadata keeps the gateway's own handling. And the gateway's
 * header filters that remove headers run as one ({@link HeaderRemoval}).
 */
public final class UpstreamRoutingFilter extends NettyRoutingFilter {

	private final Duration responseTimeout;

	/** The answer of a call past {@link #responseTimeout}: built once, its error made per timeout. */
	private final Mono<Void> responseTimedOut;

	private volatile List<HttpHeadersFilter> headersFilters;

	public UpstreamRoutingFilter(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
			HttpClientProperties properties) {
		super(httpClient, headersFilters, withoutResponseTimeout(properties));
		Duration timeout = properties.getResponseTimeout();
		this.responseTimeout = timeout;
		this.responseTimedOut = Mono.error(() -> new TimeoutException("Response took longer than timeout: " + timeout));
	}

	/** The gateway's header filters, with its removing ones done in one pass ({@link HeaderRemoval}). */
	@Override
	public List<HttpHeadersFilter> getHeadersFilters() {
		List<HttpHeadersFilter> filters = headersFilters;
		if (filters == null) {
			List<HttpHeadersFilter> gateways = super.getHeadersFilters();
			filters = gateways == null ? List.of() : HeaderRemoval.inPlaceOf(gateways);
			headersFilters = filters;
		}
		return filters;
	}

	/** What the parent reads of the properties (the connect timeout), without the response timeout. */
	private static HttpClientProperties withoutResponseTimeout(HttpClientProperties properties) {
		HttpClientProperties parent = new HttpClientProperties();
		parent.setConnectTimeout(properties.getConnectTimeout());
		return parent;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		boolean timed = responseTimeout != null && proxiedHere(exchange); // before the parent marks it routed
		Mono<Void> routed = super.filter(mayHaveBody(exchange.getRequest()) ? withQuietBodyErrors(exchange) : exchange,
				chain);
		if (!timed) {
			return routed;
		}
		return routed.timeout(Timeouts.expiry(responseTimeout, exchange), responseTimedOut)
			.onErrorMap(TimeoutException.class,
					th -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, th.getMessage(), th));
	}

	/**
	 * The body the parent sends upstream, with the server's errors (a client that closed or reset
	 * mid-body) replaced by {@link ClientBodyFailedException}, which Reactor Netty's client logs in
	 * one line. Meshgate's own body errors (deadline, broken framing) are stackless already and
	 * stay, so that the error handler answers them as such.
	 */
	private static ServerWebExchange withQuietBodyErrors(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		return exchange.mutate().request(new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody()
					.onErrorMap(error -> !(error instanceof MalformedRequestException
							|| error instanceof RequestBodyTimeoutException), error -> new ClientBodyFailedException());
			}
		}).build();
	}

	/** A request with a declared body, or one whose method usually carries one (HTTP/2 needs no length). */
	private static boolean mayHaveBody(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		long length = headers.getContentLength();
		if (length >= 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return length != 0;
		}
		HttpMethod method = request.getMethod();
		return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
				|| HttpMethod.DELETE.equals(method) || HttpMethod.TRACE.equals(method));
	}

	/** The parent will proxy this request (an http or https URL), with no per-route response timeout. */
	private static boolean proxiedHere(ServerWebExchange exchange) {
		URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
		Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
		return url != null && route != null && !isAlreadyRouted(exchange) && ("http".equalsIgnoreCase(url.getScheme())
				|| "https".equalsIgnoreCase(url.getScheme())) && !route.getMetadata().containsKey(RESPONSE_TIMEOUT_ATTR);
	}

	@Override
	public int getOrder() {
		return PolicyOrder.ROUTING;
	}

	@Override
	protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
		UpstreamCall call = UpstreamCall.of(exchange);
		HttpClient own = call == null ? null : call.upstream().httpClient();
		return own != null ? own : super.getHttpClient(route, exchange);
	}

}
