package io.meshgate.policy.cors;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.gateway.filter.GatewayFilter;

import io.meshgate.policy.binding.PolicyFilterFactory;

/**
 * Cross-origin resource sharing on a route, as Gateway API's {@code CORS} filter:
 *
 * <pre>
 * filters:
 *   - name: Cors
 *     args: {allowOrigins: "https://shop.example.com,https://*.example.com", allowCredentials: true, maxAge: 600}
 * </pre>
 *
 * Preflights are answered at route lookup, before any of the route's filters
 * ({@link CorsPreflightProcessor}); a route whose predicates name methods matches the preflights
 * of those methods only with {@code CorsMethod} in place of {@code Method}. The arguments are the
 * fields of {@link CorsPolicy}. Metrics: {@code meshgate.cors.preflights} and
 * {@code meshgate.cors.requests}, by route and outcome.
 */
public class CorsGatewayFilterFactory extends PolicyFilterFactory<CorsPolicy> {

	private final MeterRegistry meters;

	public CorsGatewayFilterFactory(MeterRegistry meters) {
		super(CorsPolicy.class);
		this.meters = meters;
	}

	@Override
	public GatewayFilter filter(CorsPolicy policy, String route) {
		return new CorsFilter(policy, route, meters);
	}

}
