package io.meshgate.policy.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.binding.PolicyFilterFactory;
import io.meshgate.policy.error.ErrorResponses;

/**
 * Limits each client of a route to a token bucket, in memory on this replica:
 *
 * <pre>
 * filters:
 *   - name: LocalRateLimit
 *     args: {maxTokens: 100, tokensPerFill: 10, fillInterval: 1s, keyOn: "header:x-api-key"}
 * </pre>
 *
 * Requests over the limit get 429, a JSON body and {@code Retry-After} (whole seconds, at least
 * 1). Spring Cloud Gateway's {@code RequestRateLimiter} needs Redis; this one needs nothing. The
 * arguments are the fields of {@link RateLimitPolicy}.
 */
public class LocalRateLimitGatewayFilterFactory extends PolicyFilterFactory<RateLimitPolicy> {

	private final MeterRegistry meters;

	private final LongSupplier nanoClock;

	public LocalRateLimitGatewayFilterFactory(MeterRegistry meters, LongSupplier nanoClock) {
		super(RateLimitPolicy.class);
		this.meters = meters;
		this.nanoClock = nanoClock;
	}

	@Override
	public GatewayFilter filter(RateLimitPolicy policy, String route) {
		Counter limited = Counter.builder("meshgate.ratelimit.rejected")
			.description("Requests answered 429 by a route's local rate limit")
			.tag("route", route)
			.register(meters);
		return new OrderedGatewayFilter(new RateLimitFilter(policy, limited), PolicyOrder.RATE_LIMIT);
	}

	private final class RateLimitFilter implements GatewayFilter {

		private final RateLimitPolicy policy;

		private final Counter limited;

		private final Cache<String, TokenBucket> buckets;

		RateLimitFilter(RateLimitPolicy policy, Counter limited) {
			this.policy = policy;
			this.limited = limited;
			// a bucket idle for one full refill is full again: forgetting it changes nothing
			Duration refill = policy.fillInterval()
				.multipliedBy((policy.maxTokens() + policy.tokensPerFill() - 1) / policy.tokensPerFill());
			this.buckets = Caffeine.newBuilder().maximumSize(policy.maxKeys()).expireAfterAccess(refill).build();
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			String key = policy.keyOn().valueIn(exchange);
			long now = nanoClock.getAsLong();
			long wait = buckets.get(key == null ? "" : key, k -> new TokenBucket(policy, now)).tryTake(now);
			if (wait == 0) {
				return chain.filter(exchange);
			}
			limited.increment();
			long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
			exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(seconds));
			return ErrorResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
					"rate limit of " + policy.tokensPerFill() + " per " + policy.fillInterval().toMillis()
							+ " ms exceeded",
					Map.of("retryAfterSeconds", seconds));
		}

		@Override
		public String toString() {
			return "[LocalRateLimit " + policy + "]";
		}

	}

}
