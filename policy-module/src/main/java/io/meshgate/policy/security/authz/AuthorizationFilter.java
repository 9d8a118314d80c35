package io.meshgate.policy.security.authz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.security.authz.AuthorizationTable.RoutePolicies;
import io.meshgate.policy.security.authz.AuthorizationTable.ScopedPolicy;

/**
 * Enforces the configuration's authorization policies on the requests of the routes they may
 * apply to, after the route's authentication and external authorization (Istio's CUSTOM): DENY
 * policies first, a match denies; then, if any ALLOW policy applies, one must match. A dry-run
 * policy only counts what it would deny. A denied request is answered 403 with a fixed text
 * naming the policy; the request and the rule's values are never repeated.
 *
 * <p>The policies in force are swapped whole by {@link #install} when a configuration is applied.
 * This filter is in the chain of a route only where a policy may apply to it
 * ({@link #appliesTo}, asked by {@link AuthorizingFilteringWebHandler} once per route and
 * configuration): a route no policy can target never runs it. Where it runs, a request costs one
 * lookup of its route's list and the compiled checks of the policies that may apply.
 */
public final class AuthorizationFilter implements GatewayFilter, Ordered {

	/** The message of a 403; fixed, as every error text. */
	public static final String DENIED = "access denied by authorization policy";

	private final MeterRegistry meters;

	private volatile AuthorizationTable table = AuthorizationTable.EMPTY;

	public AuthorizationFilter(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Makes {@code policies} (validated records) the ones in force for the next requests. */
	public void install(List<AuthorizationPolicy> policies) {
		table = AuthorizationTable.compile(policies, meters);
	}

	/**
	 * Whether a policy in force may apply to requests of {@code route}: one names it, names a
	 * host, or targets the whole gateway.
	 */
	public boolean appliesTo(String route) {
		AuthorizationTable current = table;
		return !current.isEmpty() && !current.forRoute(route).isEmpty();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		AuthorizationTable current = table;
		if (current.isEmpty()) {
			return chain.filter(exchange);
		}
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		RoutePolicies policies = current.forRoute(route == null ? "" : route.getId());
		if (policies.isEmpty()) {
			return chain.filter(exchange);
		}
		ScopedPolicy denying = PolicyEvaluation.decide(policies, new RequestFacts(exchange), policies);
		return denying == null ? chain.filter(exchange) : deny(exchange, policies.route(), denying);
	}

	private static Mono<Void> deny(ServerWebExchange exchange, String route, ScopedPolicy denying) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("route", route);
		details.put("policy", denying.policy().name());
		return ErrorResponses.write(exchange, HttpStatus.FORBIDDEN, DENIED, details);
	}

	@Override
	public int getOrder() {
		return PolicyOrder.AUTHORIZATION;
	}

	@Override
	public String toString() {
		return "AuthorizationFilter";
	}

}
