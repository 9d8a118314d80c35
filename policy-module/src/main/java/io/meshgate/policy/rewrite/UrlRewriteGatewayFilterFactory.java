package io.meshgate.policy.rewrite;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

/**
 * Rewrites the Host and path the upstream (and any mirror) receives, as Gateway API's
 * {@code URLRewrite}; the query is kept. {@code replacePrefixMatch} replaces {@code prefix}, the
 * path prefix the route matches, element-wise:
 *
 * <pre>
 * predicates: [PathMatch=PREFIX, /shop]
 * filters:
 *   - UrlRewrite=shop.internal               # Host only
 *   - name: UrlRewrite
 *     args: {replacePrefixMatch: /v2, prefix: /shop}   # /shop/cart -> /v2/cart
 * </pre>
 */
public class UrlRewriteGatewayFilterFactory extends PolicyFilterFactory<UrlRewriteGatewayFilterFactory.Config> {

	public UrlRewriteGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("hostname", "replaceFullPath");
	}

	@Override
	public GatewayFilter filter(Config config, String route) {
		RewritePolicy policy = config.rewrite();
		String prefix = config.prefix();
		return new OrderedGatewayFilter(new GatewayFilter() {
			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				ServerHttpRequest request = exchange.getRequest();
				addOriginalRequestUrl(exchange, request.getURI());
				ServerHttpRequest.Builder rewritten = request.mutate();
				if (policy.replaceFullPath() != null) {
					rewritten.path(policy.replaceFullPath());
				}
				else if (policy.replacePrefixMatch() != null) {
					rewritten.path(PathRewrites.replacePrefix(request.getURI().getRawPath(), prefix,
							policy.replacePrefixMatch()));
				}
				if (policy.hostname() != null) {
					// the routing filter sends this Host instead of the endpoint's address
					rewritten.header(HttpHeaders.HOST, policy.hostname());
					exchange.getAttributes().put(PRESERVE_HOST_HEADER_ATTRIBUTE, true);
				}
				else if (policy.preserveHost()) {
					// the routing filter sends the client's Host instead of the endpoint's address
					exchange.getAttributes().put(PRESERVE_HOST_HEADER_ATTRIBUTE, true);
				}
				return chain.filter(exchange.mutate().request(rewritten.build()).build());
			}

			@Override
			public String toString() {
				return "[UrlRewrite " + policy + (policy.replacePrefixMatch() != null ? ", prefix = " + prefix : "")
						+ "]";
			}
		}, PolicyOrder.URL_REWRITE);
	}

	/**
	 * The filter's arguments: the fields of {@link RewritePolicy}, and {@code prefix}.
	 *
	 * @param rewrite the rewrite; its fields are arguments of their own ({@code hostname}, …)
	 * @param prefix the path prefix the route matches; required with {@code replacePrefixMatch}
	 */
	public record Config(@Name("") @DefaultValue RewritePolicy rewrite, String prefix) {

		public Config {
			rewrite = rewrite == null ? new RewritePolicy(null, null, null, false) : rewrite;
			PathRewrites.checkPrefix(prefix, rewrite.replacePrefixMatch());
		}

	}

}
