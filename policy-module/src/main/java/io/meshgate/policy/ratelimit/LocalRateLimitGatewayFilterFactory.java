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
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.PolicyOrder;
import io.meshgate.policy.RouteScopedConfig;
import io.meshgate.policy.error.ErrorResponses;
import io.meshgate.policy.hash.HashKey;

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
 * 1). Spring Cloud Gateway's {@code RequestRateLimiter} needs Redis; this one needs nothing.
 */
public class LocalRateLimitGatewayFilterFactory
		extends AbstractGatewayFilterFactory<LocalRateLimitGatewayFilterFactory.Config> {

	private final MeterRegistry meters;

	private final LongSupplier nanoClock;

	public LocalRateLimitGatewayFilterFactory(MeterRegistry meters, LongSupplier nanoClock) {
		super(Config.class);
		this.meters = meters;
		this.nanoClock = nanoClock;
	}

	@Override
	public GatewayFilter apply(Config config) {
		RateLimitPolicy policy = new RateLimitPolicy(config.getMaxTokens(), config.getTokensPerFill(),
				config.getFillInterval(),
				config.getKeyOn() == null || config.getKeyOn().isBlank() ? null : HashKey.of(config.getKeyOn()),
				config.getMaxKeys());
		Counter limited = Counter.builder("meshgate.ratelimit.rejected")
			.description("Requests answered 429 by a route's local rate limit")
			.tag("route", config.route())
			.register(meters);
		return new OrderedGatewayFilter(new RateLimitFilter(policy, limited), PolicyOrder.RATE_LIMIT);
	}

	/** Spring's bindable carrier; converted once into {@link RateLimitPolicy}. */
	public static class Config extends RouteScopedConfig {

		private Integer maxTokens;

		private Integer tokensPerFill;

		private Duration fillInterval;

		private String keyOn;

		private Integer maxKeys;

		public Integer getMaxTokens() {
			return maxTokens;
		}

		public void setMaxTokens(Integer maxTokens) {
			this.maxTokens = maxTokens;
		}

		public Integer getTokensPerFill() {
			return tokensPerFill;
		}

		public void setTokensPerFill(Integer tokensPerFill) {
			this.tokensPerFill = tokensPerFill;
		}

		public Duration getFillInterval() {
			return fillInterval;
		}

		public void setFillInterval(Duration fillInterval) {
			this.fillInterval = fillInterval;
		}

		public String getKeyOn() {
			return keyOn;
		}

		public void setKeyOn(String keyOn) {
			this.keyOn = keyOn;
		}

		public Integer getMaxKeys() {
			return maxKeys;
		}

		public void setMaxKeys(Integer maxKeys) {
			this.maxKeys = maxKeys;
		}

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
			ServerHttpRequest request = exchange.getRequest();
			String key = policy.keyOn().valueIn(request.getHeaders(), request.getCookies(),
					ExchangeAttributes.clientAddress(exchange));
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
