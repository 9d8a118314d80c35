package io.meshgate.policy.edge;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test client's address (127.0.0.1) is a trusted proxy: what it forwards is the client, for
 * the rate limit, the sticky key and a redirect; a hop it does not trust ends the walk.
 */
@TestPropertySource(properties = "meshgate.ingress.trusted-proxies=127.0.0.1/32, 10.0.0.0/8")
class TrustedForwardingTest extends ForwardingScenarios {

	@Test
	void eachForwardedClientHasItsOwnRateLimit() {
		assertThat(rateLimitedStatuses("X-Forwarded-For", address -> address)).containsOnly(200);
	}

	@Test
	void theForwardedClientIsTheStickyKey() {
		assertThat(stickyBackends()).containsExactly("v1", "v2");
	}

	@Test
	void aRedirectFollowsTheForwardedSchemeAndHost() {
		assertThat(redirectLocation()).isEqualTo("https://evil.example:8443/new");
	}

	@Test
	void theFirstUntrustedHopFromTheRightIsTheClient() {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("limited", "/limited/**", Backend.of("shop", 1))
			.withRateLimit(new RateLimitPolicy(1, 1, java.time.Duration.ofHours(1), HashKey.of("client-address"), null)));

		// 198.51.100.1 is what the client claimed; 203.0.113.1 connected to the trusted 10.1.2.3
		assertThat(status("198.51.100.1, 203.0.113.1, 10.1.2.3")).isEqualTo(200);
		assertThat(status("198.51.100.2, 203.0.113.1, 10.1.2.3")).isEqualTo(429);
		assertThat(status("203.0.113.1")).isEqualTo(429);
		// a hop that is no address ends the walk at the last trusted one
		assertThat(status("203.0.113.1, unknown, 10.1.2.3")).isEqualTo(200);
		assertThat(status("198.51.100.3, garbage, 10.1.2.3")).isEqualTo(429);
	}

	private int status(String forwardedFor) {
		return client.get("/limited/x", Map.of("X-Forwarded-For", forwardedFor)).statusCode();
	}

}
