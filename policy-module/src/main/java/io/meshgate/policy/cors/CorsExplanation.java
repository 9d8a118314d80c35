package io.meshgate.policy.cors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.cors.reactive.CorsUtils;

/**
 * What a route's CORS policy answers a request with an {@code Origin}, computed by the route's own
 * filter ({@link CorsFilter#preflight}, {@link CorsFilter#onCommit}) without counting it: for the
 * admin API's route tester.
 *
 * @param preflight whether the request is a preflight (answered by the gateway, before
 * authentication)
 * @param outcome {@code allowed}, {@code origin_denied}, {@code method_denied} or
 * {@code headers_denied} (the metric's outcome tags)
 * @param status a preflight's status (204 or 403); {@code null} for an actual request, whose
 * status the rest of the route decides
 * @param headers the CORS headers of the answer; for an actual request, the ones its response
 * gets whatever its status, besides the upstream's own header names that {@code exposeHeaders: *}
 * lists with credentials
 */
public record CorsExplanation(boolean preflight, String outcome, Integer status, Map<String, List<String>> headers) {

	/** The answer of {@code route}'s CORS policy to {@code request}; {@code null} when the route has none. */
	public static CorsExplanation of(Route route, ServerHttpRequest request) {
		CorsFilter cors = CorsFilter.of(route);
		if (cors == null) {
			return null;
		}
		HttpHeaders headers = new HttpHeaders();
		if (CorsUtils.isPreFlightRequest(request)) {
			CorsRules.Outcome outcome = cors.preflight(request.getHeaders(), headers);
			return new CorsExplanation(true, outcome.tag, outcome == CorsRules.Outcome.ALLOWED ? 204 : 403,
					view(headers));
		}
		String origin = request.getHeaders().getFirst(HttpHeaders.ORIGIN);
		boolean allowed = origin != null && cors.allowsOrigin(origin);
		cors.onCommit(headers, origin != null, allowed ? origin : null);
		return new CorsExplanation(false, (allowed ? CorsRules.Outcome.ALLOWED : CorsRules.Outcome.ORIGIN_DENIED).tag,
				null, view(headers));
	}

	private static Map<String, List<String>> view(HttpHeaders headers) {
		Map<String, List<String>> view = new LinkedHashMap<>();
		headers.forEach((name, values) -> view.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		return view;
	}

}
