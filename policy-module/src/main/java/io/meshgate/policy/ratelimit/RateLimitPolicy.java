package io.meshgate.policy.ratelimit;

import java.time.Duration;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.schema.Example;

/**
 * A local token bucket per client (Envoy's {@code local_ratelimit}, one bucket per key):
 * {@code rateLimit: {maxTokens: 100, tokensPerFill: 10, fillInterval: 1s, keyOn: client-address}}.
 * Each request takes a token; a request that finds the bucket empty gets 429 with
 * {@code Retry-After}. Local means per replica: with N replicas a client may get N times the rate.
 *
 * @param maxTokens bucket size, the burst a client may send at once; required, >= 1
 * @param tokensPerFill tokens added every {@code fillInterval}; default: maxTokens
 * @param fillInterval default 1s
 * @param keyOn what identifies a client: {@code client-address} (default), {@code header:<name>},
 * {@code cookie:<name>}, or a part of the verified identity: {@code consumer} (the API key's),
 * {@code claim:<name>}, {@code principal}, {@code request-principal}; requests without the key
 * share one bucket
 * @param maxKeys buckets kept at most, the least recently used go first; default 100000
 */
public record RateLimitPolicy(@Example("100") Integer maxTokens, Integer tokensPerFill, Duration fillInterval, HashKey keyOn,
		Integer maxKeys) {

	public RateLimitPolicy {
		if (maxTokens == null || maxTokens < 1) {
			throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: >= 1)");
		}
		tokensPerFill = tokensPerFill == null ? maxTokens : tokensPerFill;
		if (tokensPerFill < 1 || tokensPerFill > maxTokens) {
			throw new IllegalArgumentException(
					"tokensPerFill: " + tokensPerFill + " (expected: 1-" + maxTokens + ", at most maxTokens)");
		}
		fillInterval = fillInterval == null ? Duration.ofSeconds(1) : fillInterval;
		if (fillInterval.toMillis() < 1) {
			throw new IllegalArgumentException("fillInterval: " + fillInterval + " (expected: >= 1ms)");
		}
		keyOn = keyOn == null ? HashKey.of("client-address") : keyOn;
		maxKeys = maxKeys == null ? 100_000 : maxKeys;
		if (maxKeys < 1) {
			throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 1)");
		}
	}

	public static RateLimitPolicy perSecond(int requests) {
		return new RateLimitPolicy(requests, requests, Duration.ofSeconds(1), null, null);
	}

}
