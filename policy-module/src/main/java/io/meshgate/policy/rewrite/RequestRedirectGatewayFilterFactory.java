package io.meshgate.policy.rewrite;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.setAlreadyRouted;

/**
 * Answers with a redirect to the request's URL with some parts replaced, as Gateway API's
 * {@code RequestRedirect}; no upstream is called. Unlike Spring Cloud Gateway's
 * {@code RedirectTo} (a fixed URL) it keeps what it does not replace, query included.
 *
 * <pre>
 * filters:
 *   - RequestRedirect=https, 301              # scheme, statusCode
 *   - name: RequestRedirect
 *     args: {replacePrefixMatch: /new, prefix: /old}
 * </pre>
 */
public class RequestRedirectGatewayFilterFactory
		extends PolicyFilterFactory<RequestRedirectGatewayFilterFactory.Config> {

	public RequestRedirectGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("scheme", "statusCode");
	}

	@Override
	public GatewayFilter filter(Config config, String route) {
		RedirectPolicy policy = config.redirect();
		String prefix = config.prefix();
		return new OrderedGatewayFilter(new GatewayFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				URI url = exchange.getRequest().getURI();
				String location = policy.location(url.getScheme(), url.getHost(), url.getPort(), url.getRawPath(),
						url.getRawQuery(), prefix);
				setAlreadyRouted(exchange);
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatusCode.valueOf(policy.statusCode()));
				response.getHeaders().set(HttpHeaders.LOCATION, location);
				return response.setComplete();
			}

			@Override
			public String toString() {
				return "[RequestRedirect " + policy + (policy.replacePrefixMatch() != null ? ", prefix = " + prefix : "")
						+ "]";
			}
		}, PolicyOrder.REDIRECT);
	}

	/**
	 * The filter's arguments: the fields of {@link RedirectPolicy}, and {@code prefix}.
	 *
	 * @param redirect the redirect; its fields are arguments of their own ({@code scheme}, …)
	 * @param prefix the path prefix the route matches; required with {@code replacePrefixMatch}
	 */
	public record Config(@Name("") @DefaultValue RedirectPolicy redirect, String prefix) {

		public Config {
			redirect = redirect == null ? new RedirectPolicy(null, null, null, null, null, 0) : redirect;
			PathRewrites.checkPrefix(prefix, redirect.replacePrefixMatch());
		}

	}

}
