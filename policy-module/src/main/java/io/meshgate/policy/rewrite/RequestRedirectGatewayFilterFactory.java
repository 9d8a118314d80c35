package io.meshgate.policy.rewrite;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;

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
		extends AbstractGatewayFilterFactory<RequestRedirectGatewayFilterFactory.Config> {

	public RequestRedirectGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("scheme", "statusCode");
	}

	@Override
	public GatewayFilter apply(Config config) {
		RedirectPolicy policy = new RedirectPolicy(config.getScheme(), config.getHostname(), config.getPort(),
				config.getReplaceFullPath(), config.getReplacePrefixMatch(),
				config.getStatusCode() == null ? 0 : config.getStatusCode());
		String prefix = config.getPrefix();
		if (policy.replacePrefixMatch() != null && (prefix == null || !prefix.startsWith("/"))) {
			throw new IllegalArgumentException(
					"prefix: " + prefix + " (expected: the path prefix the route matches, with replacePrefixMatch)");
		}
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

	/** Spring's bindable carrier; converted once into a {@link RedirectPolicy}. */
	public static class Config {

		private String scheme;

		private String hostname;

		private Integer port;

		private String replaceFullPath;

		private String replacePrefixMatch;

		private String prefix;

		private Integer statusCode;

		public String getScheme() {
			return scheme;
		}

		public void setScheme(String scheme) {
			this.scheme = scheme;
		}

		public String getHostname() {
			return hostname;
		}

		public void setHostname(String hostname) {
			this.hostname = hostname;
		}

		public Integer getPort() {
			return port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public String getReplaceFullPath() {
			return replaceFullPath;
		}

		public void setReplaceFullPath(String replaceFullPath) {
			this.replaceFullPath = replaceFullPath;
		}

		public String getReplacePrefixMatch() {
			return replacePrefixMatch;
		}

		public void setReplacePrefixMatch(String replacePrefixMatch) {
			this.replacePrefixMatch = replacePrefixMatch;
		}

		public String getPrefix() {
			return prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public Integer getStatusCode() {
			return statusCode;
		}

		public void setStatusCode(Integer statusCode) {
			this.statusCode = statusCode;
		}

	}

}
