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
		ScopedPolicy denying = decide(policies, new RequestFacts(exchange));
		return denying == null ? chain.filter(exchange) : deny(exchange, policies.route(), denying);
	}

	/** The policy that denies the request, after counting the decision; {@code null} when it may pass. */
	static ScopedPolicy decide(RoutePolicies policies, RequestFacts request) {
		for (ScopedPolicy scoped : policies.deny) {
			if (scoped.appliesTo(request)) {
				int rule = scoped.policy().firstMatch(request);
				if (rule >= 0) {
					policies.count(scoped, rule);
					if (!scoped.policy().dryRun()) {
						return scoped;
					}
				}
			}
		}
		ScopedPolicy firstApplying = null;
		ScopedPolicy allowing = null;
		int allowingRule = -1;
		for (ScopedPolicy scoped : policies.allow) {
			if (scoped.appliesTo(request)) {
				firstApplying = firstApplying == null ? scoped : firstApplying;
				allowingRule = scoped.policy().firstMatch(request);
				if (allowingRule >= 0) {
					allowing = scoped;
					break;
				}
			}
		}
		// a dry-run ALLOW policy would deny what it applies to unless it or an enforced one allows it
		for (ScopedPolicy scoped : policies.dryRunAllow) {
			if (allowing == null && scoped.appliesTo(request) && scoped.policy().firstMatch(request) < 0) {
				policies.count(scoped, -1);
			}
		}
		if (allowing != null) {
			policies.count(allowing, allowingRule);
			return null;
		}
		if (firstApplying != null) {
			// denied in the name of the first ALLOW policy that applies, none having matched
			policies.count(firstApplying, -1);
			return firstApplying;
		}
		policies.countUnpoliced();
		return null;
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
