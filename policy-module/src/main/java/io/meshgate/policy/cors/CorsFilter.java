package io.meshgate.policy.cors;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.observe.MeshMetrics;

/**
 * A route's CORS: answers preflights ({@link #answerPreflight}, called at route lookup by
 * {@link CorsPreflightProcessor}, or here should a preflight reach the route's filters), and on
 * every other request registers, before authentication, rate limits and faults, the headers its
 * response gets when it commits, so that the gateway's own answers (401, 429, an injected 503)
 * carry them as much as the upstream's.
 */
final class CorsFilter implements GatewayFilter, Ordered {

	/** A preflight's answer depends on these request headers. */
	private static final String PREFLIGHT_VARY = HttpHeaders.ORIGIN + ", " + HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD
			+ ", " + HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS;

	/** What the route's policy decides alone: an upstream's own are removed from cross-origin answers. */
	private static final List<String> CORS_RESPONSE_HEADERS = List.of(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN,
			HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
			HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
			HttpHeaders.ACCESS_CONTROL_MAX_AGE);

	private final CorsRules rules;

	private final Map<CorsRules.Outcome, Counter> preflights = new EnumMap<>(CorsRules.Outcome.class);

	private final Counter allowedRequests;

	private final Counter deniedRequests;

	CorsFilter(CorsPolicy policy, String route, MeterRegistry meters) {
		this.rules = new CorsRules(policy);
		for (CorsRules.Outcome outcome : CorsRules.Outcome.values()) {
			preflights.put(outcome, Counter.builder(MeshMetrics.CORS_PREFLIGHTS)
				.description("CORS preflights answered by the gateway, by outcome")
				.tags(MeshMetrics.ROUTE, route, "outcome", outcome.tag)
				.register(meters));
		}
		this.allowedRequests = requests(route, CorsRules.Outcome.ALLOWED, meters);
		this.deniedRequests = requests(route, CorsRules.Outcome.ORIGIN_DENIED, meters);
	}

	private static Counter requests(String route, CorsRules.Outcome outcome, MeterRegistry meters) {
		return Counter.builder(MeshMetrics.CORS_REQUESTS)
			.description("Requests with an Origin header (not preflights), by whether the origin was allowed")
			.tags(MeshMetrics.ROUTE, route, "outcome", outcome.tag)
			.register(meters);
	}

	/** The CORS filter of {@code route}, or null when it has none. */
	static CorsFilter of(Route route) {
		if (route == null) {
			return null;
		}
		for (GatewayFilter filter : route.getFilters()) {
			GatewayFilter inner = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : filter;
			if (inner instanceof CorsFilter cors) {
				return cors;
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return PolicyOrder.CORS;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (CorsUtils.isPreFlightRequest(request)) {
			answerPreflight(exchange);
			return exchange.getResponse().setComplete();
		}
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		boolean allowed = false;
		if (origin != null) {
			allowed = allowsOrigin(origin);
			(allowed ? allowedRequests : deniedRequests).increment();
		}
		ServerHttpResponse response = exchange.getResponse();
		String allowedOrigin = allowed ? origin : null;
		response.beforeCommit(() -> {
			onCommit(response.getHeaders(), origin != null, allowedOrigin);
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	/**
	 * Answers the preflight {@code exchange} carries: 204 with the CORS headers when its origin,
	 * method and header names are allowed, else 403 without any (Gateway API's choice for an origin
	 * it does not allow; the browser then never sends the request). Only the response's status and
	 * headers are set: the caller completes it.
	 */
	void answerPreflight(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		CorsRules.Outcome outcome = preflight(exchange.getRequest().getHeaders(), response.getHeaders());
		preflights.get(outcome).increment();
		response.setStatusCode(outcome == CorsRules.Outcome.ALLOWED ? HttpStatus.NO_CONTENT : HttpStatus.FORBIDDEN);
	}

	/**
	 * The answer to a preflight with the headers {@code request}: its outcome, and its headers set
	 * in {@code headers} ({@code Vary} only, when it is refused). Changes nothing else.
	 */
	CorsRules.Outcome preflight(HttpHeaders request, HttpHeaders headers) {
		headers.set(HttpHeaders.VARY, PREFLIGHT_VARY);
		String origin = request.getFirst(HttpHeaders.ORIGIN);
		String method = request.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
		String requestedHeaders = request.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
		CorsRules.Outcome outcome = !rules.allowsOrigin(origin) ? CorsRules.Outcome.ORIGIN_DENIED
				: !rules.allowsMethod(method) ? CorsRules.Outcome.METHOD_DENIED
						: !rules.allowsHeaders(requestedHeaders) ? CorsRules.Outcome.HEADERS_DENIED
								: CorsRules.Outcome.ALLOWED;
		if (outcome != CorsRules.Outcome.ALLOWED) {
			return outcome;
		}
		allowOrigin(headers, origin);
		// "*" is no wildcard with credentials and never covers Authorization: echo what was asked
		headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, rules.allowMethods != null ? rules.allowMethods : method);
		if (rules.allowHeaders != null) {
			headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, rules.allowHeaders);
		}
		else if (rules.anyHeader && requestedHeaders != null && !requestedHeaders.isBlank()) {
			headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, requestedHeaders.strip());
		}
		if (rules.exposeHeaders != null) {
			headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, rules.exposeHeaders);
		}
		headers.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, rules.maxAge);
		return outcome;
	}

	/** Whether an actual request's {@code origin} is allowed. */
	boolean allowsOrigin(String origin) {
		return rules.allowsOrigin(origin);
	}

	/** The CORS headers of a response to an actual request, set as it commits. */
	void onCommit(HttpHeaders headers, boolean crossOrigin, String allowedOrigin) {
		if (crossOrigin) {
			CORS_RESPONSE_HEADERS.forEach(headers::remove);
		}
		varyOnOrigin(headers);
		if (allowedOrigin == null) {
			return;
		}
		allowOrigin(headers, allowedOrigin);
		if (rules.exposeHeaders != null) {
			headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, rules.exposeHeaders);
		}
		else if (rules.exposeAll) {
			// "*" exposes everything only without credentials; with them, name the headers there are
			headers.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
					rules.credentials ? String.join(", ", headers.headerNames()) : CorsPolicy.ANY);
		}
	}

	/** The request's own origin, never {@code *}: the Fetch standard refuses {@code *} with credentials. */
	private void allowOrigin(HttpHeaders headers, String origin) {
		headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
		if (rules.credentials) {
			headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
		}
	}

	/** Adds {@code Origin} to {@code Vary}, unless it (or {@code *}) is there already. */
	private static void varyOnOrigin(HttpHeaders headers) {
		List<String> vary = headers.get(HttpHeaders.VARY);
		if (vary != null) {
			for (String value : vary) {
				for (String element : value.split(",")) {
					String name = element.strip();
					if (name.equals("*") || name.equalsIgnoreCase(HttpHeaders.ORIGIN)) {
						return;
					}
				}
			}
		}
		headers.add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
	}

	@Override
	public String toString() {
		return "[Cors " + rules.policy + "]";
	}

}
