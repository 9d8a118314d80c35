package io.meshgate.policy.edge;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.error.ErrorResponses;

/**
 * Replaces the request's path with its normalized form ({@link PathNormalizer}) before anything
 * else reads it: WebFilters run before WebFlux's handler mapping, so route lookup, every
 * predicate, rate limits, rewrites and the upstream URL (built from the request's raw path) all
 * see the same path. The query is kept as sent. A path that cannot be normalized is answered 400
 * with a fixed text that does not repeat it.
 */
public class PathNormalizationFilter implements EdgeFilter {

	/** The error message of a refused path; the path itself is never written back. */
	public static final String REFUSED = "request path refused: invalid or ambiguous encoding";

	private final PathNormalizer normalizer;

	public PathNormalizationFilter(PathNormalizer normalizer) {
		this.normalizer = normalizer;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String raw = exchange.getRequest().getURI().getRawPath();
		String normalized = normalizer.normalize(raw);
		if (normalized == null) {
			return ErrorResponses.write(exchange, HttpStatus.BAD_REQUEST, REFUSED, Map.of());
		}
		// identity: the normalizer hands back the very string when the path is normal already
		if (normalized == raw) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(request -> request.path(normalized)).build());
	}

	@Override
	public int getOrder() {
		return PolicyOrder.EDGE_PATH;
	}

	/**
	 * A constant name: Spring's {@code DefaultWebFilterChain} asks every web filter for its
	 * {@code toString()} on every request (a Reactor checkpoint's description), and
	 * {@code Object.toString()} builds a new string of class name and hash code each time.
	 */
	@Override
	public String toString() {
		return "PathNormalizationFilter";
	}

}
