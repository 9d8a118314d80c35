package io.meshgate.admin.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.admin.model.ConfigTrees;
import io.meshgate.policy.cors.CorsExplanation;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.TokenVerdict;
import io.meshgate.policy.security.authn.AuthenticationCheck;
import io.meshgate.policy.security.authn.AuthenticationCheck.Outcome;
import io.meshgate.policy.security.authn.AuthenticationGatewayFilterFactory;
import io.meshgate.policy.security.authz.AuthorizationExplanation;
import io.meshgate.policy.security.authz.AuthorizationPolicy;
import io.meshgate.policy.security.extauthz.CheckPreview;
import io.meshgate.policy.security.extauthz.ExtAuthzGatewayFilterFactory;
import io.meshgate.policy.security.extauthz.ExtAuthzPolicy;

/**
 * The route tester's account of identity and access: what the matched route's CORS policy answers
 * an {@code Origin}, which authentication runs and its outcome, whether external authorization
 * would be consulted, and which authorization policy and rule decide, in the order the gateway
 * runs them, each decided by the gateway's own code ({@link CorsExplanation},
 * {@link AuthenticationCheck}, {@link CheckPreview}, {@link AuthorizationExplanation}) over the
 * request as the edge left it (its token verified by the gateway's providers and keys). Nothing is
 * counted, no auth service is called, and no token or API key is repeated: a credential is named
 * by where it was found.
 */
final class AccessExplanation {

	private final Map<String, Object> answer = new LinkedHashMap<>();

	private final List<String> summary = new ArrayList<>();

	private Integer status;

	private AccessExplanation() {
	}

	/**
	 * @param route the route the request matched
	 * @param exchange the request after the edge's filters and route lookup
	 * @param apiKey an API key to present in the header the route's authentication reads; may be null
	 * @param policies the configuration's authorization policies
	 * @return the account, with {@code status} the gateway's answer where access decides it
	 * ({@code null} when the request goes on to the upstream)
	 */
	static Map<String, Object> of(Route route, ServerWebExchange exchange, String apiKey,
			List<AuthorizationPolicy> policies) {
		AccessExplanation access = new AccessExplanation();
		access.answer.put("identity", identity(Identity.of(exchange)));
		if (!access.cors(route, exchange)) {
			ServerWebExchange authenticated = access.authentication(route, exchange, apiKey);
			if (authenticated != null) {
				access.extAuthz(route, authenticated);
				access.authorization(route, authenticated, policies);
			}
		}
		if (access.status == null) {
			access.summary.add("the request goes on to the route's backend");
		}
		access.answer.put("status", access.status);
		access.answer.put("summary", access.summary);
		return access.answer;
	}

	/** The caller as the edge verified it: claims by name only, they may hold personal data. */
	private static Map<String, Object> identity(Identity identity) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("principal", identity.peer() == null ? null : identity.peer().principal());
		view.put("requestPrincipal", identity.requestPrincipal());
		view.put("claims", List.copyOf(identity.claims().keySet()));
		view.put("consumer", identity.consumer());
		TokenVerdict token = identity.token();
		view.put("tokenVerdict", token == null ? null
				: token.verified() ? "verified by " + token.provider()
						: (token.provider() == null ? "" : "of " + token.provider() + ", ")
								+ "rejected: " + token.failure().description());
		return view;
	}

	/** CORS; true when a preflight was answered (nothing else runs). */
	private boolean cors(Route route, ServerWebExchange exchange) {
		boolean preflight = CorsUtils.isPreFlightRequest(exchange.getRequest());
		String origin = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null) {
			return false;
		}
		CorsExplanation cors = CorsExplanation.of(route, exchange.getRequest());
		if (cors == null) {
			answer.put("cors", Map.of("policy", false));
			summary.add("cors: the route has no cors policy: its answers carry no CORS headers for " + origin
					+ (preflight ? "; the gateway answers the preflight itself, and the browser does not send the request"
							: ""));
			return preflight;
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("policy", true);
		view.put("preflight", cors.preflight());
		view.put("outcome", cors.outcome());
		view.put("status", cors.status());
		view.put("headers", cors.headers());
		answer.put("cors", view);
		if (cors.preflight()) {
			status = cors.status();
			summary.add("cors: preflight from " + origin + " " + (cors.status() == 204 ? "allowed (204)"
					: "refused (403, " + cors.outcome() + ")") + ", answered before authentication");
			return true;
		}
		summary.add("cors: origin " + origin + (cors.outcome().equals("allowed") ? " allowed"
				: " not allowed: the answer carries no Access-Control-Allow-Origin"));
		return false;
	}

	/** Authentication; the exchange as it goes on, or {@code null} when it is refused (401). */
	private ServerWebExchange authentication(Route route, ServerWebExchange exchange, String apiKey) {
		AuthenticationCheck check = AuthenticationGatewayFilterFactory.checkOf(route);
		Map<String, Object> view = new LinkedHashMap<>();
		answer.put("authentication", view);
		if (check == null) {
			view.put("ran", null);
			summary.add("authentication: none on this route" + (apiKey == null ? "" : " (the API key is not sent)"));
			return exchange;
		}
		String keyHeader = check.policy().apiKey() == null ? null : check.policy().apiKey().fromHeader();
		ServerWebExchange presented = exchange;
		if (apiKey != null && keyHeader != null) {
			presented = exchange.mutate().request(r -> r.headers(h -> h.set(keyHeader, apiKey))).build();
		}
		Identity identity = Identity.of(presented);
		AuthenticationCheck.Decision decision = check.decide(identity, presented.getRequest());
		Outcome outcome = decision.outcome();
		List<String> ran = new ArrayList<>();
		if (check.policy().jwt() != null) {
			ran.add("jwt " + String.join(", ", check.policy().jwt().providers()));
		}
		if (keyHeader != null) {
			ran.add("apiKey from " + keyHeader);
		}
		view.put("ran", String.join(" or ", ran));
		view.put("outcome", AuthenticationCheck.tag(outcome, identity));
		String line = line(check, outcome, identity, decision.consumer());
		view.put("result", line);
		if (apiKey != null && keyHeader == null) {
			line += " (the route takes no API key: it is not sent)";
		}
		if (outcome.passes()) {
			summary.add(line);
			if (outcome == Outcome.API_KEY_ACCEPTED) {
				Identity.set(presented, identity.withConsumer(decision.consumer()));
				view.put("consumer", decision.consumer());
			}
			return presented;
		}
		status = 401;
		view.put("status", 401);
		view.put("wwwAuthenticate", check.challenges(outcome, identity));
		view.put("message", AuthenticationCheck.description(outcome, identity));
		summary.add(line + " -> 401");
		return null;
	}

	/** One line on an authentication outcome, as {@code jwt idp: verified, principal iss/sub}. */
	private static String line(AuthenticationCheck check, Outcome outcome, Identity identity, String consumer) {
		String provider = AuthenticationCheck.provider(outcome, identity);
		String jwt = "none".equals(provider) ? "jwt" : "jwt " + provider;
		return switch (outcome) {
			case JWT_VERIFIED -> jwt + ": verified, principal " + identity.requestPrincipal();
			case JWT_REJECTED, ISSUER_NOT_ACCEPTED -> jwt + ": " + AuthenticationCheck.description(outcome, identity);
			case API_KEY_ACCEPTED -> "apiKey: consumer " + consumer;
			case API_KEY_INVALID -> "apiKey: " + AuthenticationCheck.description(outcome, identity);
			case MISSING_ALLOWED -> "jwt: missing token allowed";
			case MISSING -> check.method(outcome) + ": no credential, " + AuthenticationCheck.description(outcome, identity);
		};
	}

	/** External authorization: would be consulted, with what; its decision is never known here. */
	private void extAuthz(Route route, ServerWebExchange exchange) {
		ExtAuthzPolicy policy = ExtAuthzGatewayFilterFactory.policyOf(route);
		if (policy == null) {
			return;
		}
		CheckPreview check = CheckPreview.of(policy, exchange);
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("consulted", true);
		view.put("uri", check.uri().toString());
		view.put("method", check.method());
		view.put("pathAndQuery", check.pathAndQuery());
		view.put("clientHeaders", check.clientHeaders());
		view.put("gatewayHeaders", check.gatewayHeaders());
		view.put("timeout", policy.timeout().toString());
		view.put("failOpen", policy.failOpen());
		view.put("decision", "unknown: the tester never calls the auth service");
		answer.put("extAuthz", view);
		List<String> headers = new ArrayList<>(check.clientHeaders());
		headers.addAll(check.gatewayHeaders().keySet());
		summary.add("ext-authz: " + check.uri() + " would be consulted with " + String.join(", ", headers)
				+ "; its decision is unknown (the tester never calls it); what follows assumes it allows");
	}

	private void authorization(Route route, ServerWebExchange exchange, List<AuthorizationPolicy> policies) {
		AuthorizationExplanation decided = AuthorizationExplanation.of(policies, route.getId(), exchange);
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("allowed", decided.allowed());
		view.put("policy", decided.policy());
		view.put("action", decided.action() == null ? null : decided.action().name());
		view.put("rule", decided.rule());
		if (decided.rule() != null) {
			// the admin API is authenticated: its users may see the rule; a 403 never shows it
			policies.stream().filter(p -> p.name().equals(decided.policy())).findFirst()
				.ifPresent(p -> view.put("ruleValues", ConfigTrees.toMap(p.rules().get(decided.rule()))));
		}
		List<Map<String, Object>> dryRun = new ArrayList<>();
		for (AuthorizationExplanation.DryRunDenial denial : decided.dryRunDenials()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("policy", denial.policy());
			entry.put("rule", denial.rule());
			dryRun.add(entry);
		}
		view.put("dryRunDenials", dryRun);
		view.put("reason", decided.reason());
		answer.put("authorization", view);
		summary.add("authorization: " + decided.reason());
		for (AuthorizationExplanation.DryRunDenial denial : decided.dryRunDenials()) {
			summary.add("authorization: dry-run policy " + denial.policy() + " would deny"
					+ (denial.rule() == null ? " (none of its rules matched)" : " (rule " + denial.rule() + ")")
					+ "; counted, not enforced");
		}
		if (!decided.allowed()) {
			status = 403;
			view.put("status", 403);
		}
	}

}
