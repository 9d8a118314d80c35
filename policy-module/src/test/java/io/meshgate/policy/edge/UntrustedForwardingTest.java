package io.meshgate.policy.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without trusted proxies (the default) a request's forwarding headers change nothing: the TCP
 * peer is the client, for the rate limit, the sticky key and a redirect alike.
 */
class UntrustedForwardingTest extends ForwardingScenarios {

	@Test
	void aClaimedXForwardedForDoesNotEscapeThePerClientRateLimit() {
		assertThat(rateLimitedStatuses("X-Forwarded-For", address -> address)).containsExactly(200, 429, 429, 429,
				429, 429, 429, 429, 429, 429);
	}

	@Test
	void aClaimedForwardedForDoesNotEscapeThePerClientRateLimit() {
		assertThat(rateLimitedStatuses("Forwarded", address -> "for=" + address)).containsExactly(200, 429, 429,
				429, 429, 429, 429, 429, 429, 429);
	}

	@Test
	void theStickyKeyIsTheConnectionsAddress() {
		assertThat(stickyBackends()).hasSize(1);
	}

	@Test
	void aRedirectKeepsTheRequestsOwnSchemeAndHost() {
		assertThat(redirectLocation()).isEqualTo("http://127.0.0.1:" + port + "/new");
	}

}
