package io.meshgate.policy.security.extauthz;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.meshgate.policy.security.extauthz.ExtAuthzPolicy.DecisionCachePolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code Cache-Control} lets the gateway keep, for how long, and under which key; time injected. */
class DecisionCacheTest {

	private final AtomicLong now = new AtomicLong();

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "max-age=60|60", "public, max-age=60|60", "s-maxage=30, max-age=60|30",
			"max-age=\"45\"|45", "MAX-AGE=5|5", "max-age=0|0", "max-age=-1|0", "max-age=abc|0", "no-store, max-age=60|0",
			"private, max-age=60|0", "no-cache, max-age=60|0", "must-revalidate|0", "|0", "max-age=99999999999|31536000" })
	void lifetimeFollowsCacheControlForASharedCache(String cacheControl, long seconds) {
		assertThat(DecisionCache.lifetimeNanos(cacheControl)).isEqualTo(Duration.ofSeconds(seconds).toNanos());
	}

	@Test
	void aDecisionExpiresAfterItsMaxAgeCappedByThePolicy() {
		DecisionCache cache = new DecisionCache(new DecisionCachePolicy(10, Duration.ofSeconds(30)), now::get);
		DecisionCache.Key shortLived = DecisionCache.keyOf(check("/a", "Bearer a"));
		DecisionCache.Key capped = DecisionCache.keyOf(check("/b", "Bearer a"));
		assertThat(cache.put(shortLived, Decision.ALLOW, "max-age=10")).isTrue();
		assertThat(cache.put(capped, Decision.ALLOW, "max-age=3600")).isTrue();
		assertThat(cache.put(DecisionCache.keyOf(check("/c", "Bearer a")), Decision.ALLOW, "no-store")).isFalse();

		now.addAndGet(Duration.ofSeconds(9).toNanos());
		assertThat(cache.get(shortLived)).isSameAs(Decision.ALLOW);
		now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(cache.get(shortLived)).isNull();
		assertThat(cache.get(capped)).isSameAs(Decision.ALLOW);
		now.addAndGet(Duration.ofSeconds(20).toNanos());
		assertThat(cache.get(capped)).isNull();
	}

	@Test
	void theCacheHoldsAtMostMaxEntries() {
		DecisionCache cache = new DecisionCache(new DecisionCachePolicy(5, null), now::get);
		for (int i = 0; i < 50; i++) {
			cache.put(DecisionCache.keyOf(check("/" + i, "Bearer a")), Decision.ALLOW, "max-age=60");
		}
		assertThat(cache.size()).isLessThanOrEqualTo(5);
	}

	@Test
	void theKeyCoversEverythingSent() {
		DecisionCache.Key key = DecisionCache.keyOf(check("/a", "Bearer a"));
		assertThat(DecisionCache.keyOf(check("/a", "Bearer a"))).isEqualTo(key);
		assertThat(DecisionCache.keyOf(check("/a", "Bearer b"))).isNotEqualTo(key);
		assertThat(DecisionCache.keyOf(check("/b", "Bearer a"))).isNotEqualTo(key);
		assertThat(DecisionCache.keyOf(new CheckRequest("POST", "/a", headers("Bearer a")))).isNotEqualTo(key);
		// length-prefixed: moving a byte from one field to the next changes the key
		assertThat(DecisionCache.keyOf(new CheckRequest("GET", "/ab", headers("c"))))
			.isNotEqualTo(DecisionCache.keyOf(new CheckRequest("GET", "/a", headers("bc"))));
	}

	private static CheckRequest check(String path, String authorization) {
		return new CheckRequest("GET", path, headers(authorization));
	}

	private static HttpHeaders headers(String authorization) {
		HttpHeaders headers = new DefaultHttpHeaders();
		headers.add("authorization", List.of(authorization));
		headers.add("x-forwarded-for", "127.0.0.1");
		return headers;
	}

}
