package io.meshgate.policy.security.authn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.apikey.ApiKeys;
import io.meshgate.policy.security.jwt.JwtProviders;

/**
 * Enforces a route's {@link AuthenticationPolicy}:
 *
 * <pre>
 * filters:
 *   - name: Authentication
 *     args: {jwt.providers: idp, jwt.allowMissing: false, apiKey.fromHeader: x-api-key}
 * </pre>
 *
 * Tokens were verified before route lookup ({@code security.jwt.TokenEdgeFilter}); this filter
 * enforces what {@link AuthenticationCheck} decides from the verdict in the request's identity and
 * the API key checked against the consumers' hashes, and answers 401 with an RFC 6750 challenge ({@code WWW-Authenticate: Bearer realm="meshgate",
 * error="invalid_token", error_description="…"}; no error code when nothing was presented) and a
 * fixed JSON text: never the token, a key or a claim. Counts every decision in
 * {@code meshgate.authn.requests{route, method, provider, outcome}}.
 */
public class AuthenticationGatewayFilterFactory extends PolicyFilterFactory<AuthenticationPolicy> {

	private final JwtProviders tokens;

	private final ApiKeys keys;

	private final MeterRegistry meters;

	public AuthenticationGatewayFilterFactory(JwtProviders tokens, ApiKeys keys, MeterRegistry meters) {
		super(AuthenticationPolicy.class);
		this.tokens = tokens;
		this.keys = keys;
		this.meters = meters;
	}

	@Override
	public GatewayFilter filter(AuthenticationPolicy policy, String route) {
		return new OrderedGatewayFilter(new AuthenticationFilter(new AuthenticationCheck(policy, tokens, keys), route),
				PolicyOrder.AUTHENTICATION);
	}

	/** The authentication {@code route} runs, the one its filter enforces; {@code null} without one. */
	public static AuthenticationCheck checkOf(Route route) {
		AuthenticationFilter filter = filterOf(route, AuthenticationFilter.class);
		return filter == null ? null : filter.check;
	}

	private final class AuthenticationFilter implements GatewayFilter {

		private final AuthenticationCheck check;

		private final String route;

		/** Counters by method, provider and outcome, registered on first use; looked up without allocating. */
		private final Map<String, Map<String, Map<String, Counter>>> counters = new ConcurrentHashMap<>();

		AuthenticationFilter(AuthenticationCheck check, String route) {
			this.check = check;
			this.route = route;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			Identity identity = Identity.of(exchange);
			AuthenticationCheck.Decision decision = check.decide(identity, exchange.getRequest());
			AuthenticationCheck.Outcome outcome = decision.outcome();
			count(check.method(outcome), AuthenticationCheck.provider(outcome, identity),
					AuthenticationCheck.tag(outcome, identity));
			if (outcome == AuthenticationCheck.Outcome.API_KEY_ACCEPTED) {
				Identity.set(exchange, identity.withConsumer(decision.consumer()));
				String header = check.policy().apiKey().fromHeader();
				// upstreams and their logs never see the key
				return chain.filter(exchange.mutate().request(r -> r.headers(h -> h.remove(header))).build());
			}
			if (outcome.passes()) {
				return chain.filter(exchange);
			}
			exchange.getResponse().getHeaders().addAll(HttpHeaders.WWW_AUTHENTICATE, check.challenges(outcome, identity));
			return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED,
					AuthenticationCheck.description(outcome, identity), Map.of("route", route));
		}

		private void count(String method, String provider, String outcome) {
			Map<String, Map<String, Counter>> byProvider = counters.get(method);
			Map<String, Counter> byOutcome = byProvider == null ? null : byProvider.get(provider);
			Counter counter = byOutcome == null ? null : byOutcome.get(outcome);
			if (counter == null) {
				counter = Counter.builder("meshgate.authn.requests")
					.description("Requests a route's authentication decided, by method, provider and outcome")
					.tags("route", route, "method", method, "provider", provider, "outcome", outcome)
					.register(meters);
				counters.computeIfAbsent(method, k -> new ConcurrentHashMap<>())
					.computeIfAbsent(provider, k -> new ConcurrentHashMap<>())
					.put(outcome, counter);
			}
			counter.increment();
		}

		@Override
		public String toString() {
			return "[Authentication " + check + "]";
		}

	}

}
