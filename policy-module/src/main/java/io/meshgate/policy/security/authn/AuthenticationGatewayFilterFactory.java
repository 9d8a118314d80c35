package io.meshgate.policy.security.authn;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.security.Identity;
import io.meshgate.policy.security.TokenVerdict;
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
 * reads the verdict from the request's identity, checks API keys against the consumers' hashes,
 * and answers 401 with an RFC 6750 challenge ({@code WWW-Authenticate: Bearer realm="meshgate",
 * error="invalid_token", error_description="…"}; no error code when nothing was presented) and a
 * fixed JSON text: never the token, a key or a claim. Counts every decision in
 * {@code meshgate.authn.requests{route, method, provider, outcome}}.
 */
public class AuthenticationGatewayFilterFactory extends PolicyFilterFactory<AuthenticationPolicy> {

	static final String REALM = "realm=\"meshgate\"";

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
		return new OrderedGatewayFilter(new AuthenticationFilter(policy, route), PolicyOrder.AUTHENTICATION);
	}

	private final class AuthenticationFilter implements GatewayFilter {

		private final AuthenticationPolicy policy;

		private final Set<String> providers;

		private final String route;

		/** Counters by method, provider and outcome, registered on first use; looked up without allocating. */
		private final Map<String, Map<String, Map<String, Counter>>> counters = new ConcurrentHashMap<>();

		AuthenticationFilter(AuthenticationPolicy policy, String route) {
			this.policy = policy;
			this.providers = policy.jwt() == null ? Set.of() : Set.copyOf(policy.jwt().providers());
			this.route = route;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			Identity identity = Identity.of(exchange);
			if (policy.jwt() != null) {
				TokenVerdict token = identity.token();
				if (token != null && (token.provider() == null || providers.contains(token.provider()))) {
					if (token.verified()) {
						count("jwt", token.provider(), "success");
						return chain.filter(exchange);
					}
					count("jwt", provider(token), token.failure().outcome());
					return refuse(exchange, "invalid_token", token.failure().description());
				}
				if (token != null || tokens.present(exchange.getRequest())) {
					// verified for another provider, or of an issuer no provider has
					count("jwt", token == null ? "none" : provider(token), "issuer-not-accepted");
					return refuse(exchange, "invalid_token", "the token's issuer is not accepted");
				}
			}
			if (policy.apiKey() != null) {
				String header = policy.apiKey().fromHeader();
				String key = exchange.getRequest().getHeaders().getFirst(header);
				if (key != null) {
					String consumer = keys.consumerOf(key);
					if (consumer == null) {
						count("api-key", "none", "invalid-key");
						return refuse(exchange, "invalid_key", "the API key is not valid");
					}
					count("api-key", "none", "success");
					Identity.set(exchange, identity.withConsumer(consumer));
					// upstreams and their logs never see the key
					return chain.filter(exchange.mutate().request(r -> r.headers(h -> h.remove(header))).build());
				}
			}
			String method = policy.jwt() != null ? "jwt" : "api-key";
			if (policy.jwt() != null && policy.jwt().allowMissing()) {
				count(method, "none", "missing-allowed");
				return chain.filter(exchange);
			}
			count(method, "none", "missing");
			return refuse(exchange, null, "authentication required");
		}

		private static String provider(TokenVerdict token) {
			return token.provider() == null ? "none" : token.provider();
		}

		/**
		 * 401 with a challenge per accepted credential: {@code Bearer} (RFC 6750) for tokens,
		 * {@code ApiKey} for keys; the error code only when a credential was presented.
		 */
		private Mono<Void> refuse(ServerWebExchange exchange, String error, String description) {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			String detail = error == null ? "" : ", error=\"" + error + "\", error_description=\"" + description + "\"";
			if (policy.jwt() != null) {
				headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM + ("invalid_key".equals(error) ? "" : detail));
			}
			if (policy.apiKey() != null) {
				headers.add(HttpHeaders.WWW_AUTHENTICATE, "ApiKey " + REALM + ", header=\""
						+ policy.apiKey().fromHeader() + "\"" + ("invalid_token".equals(error) ? "" : detail));
			}
			return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED, description, Map.of("route", route));
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
			return "[Authentication " + policy + "]";
		}

	}

}
