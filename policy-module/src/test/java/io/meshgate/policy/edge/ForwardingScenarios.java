package io.meshgate.policy.edge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.rewrite.RedirectPolicy;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

/**
 * Requests that claim another origin with forwarding headers, through a real gateway: what the
 * per-client rate limit, the sticky key and a redirect make of them. The subclasses run them with
 * and without trusted proxies and expect opposite outcomes.
 */
abstract class ForwardingScenarios extends GatewayTest {

	/** Ten addresses, one per request, from TEST-NET-3. */
	static final List<String> CLAIMED = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4",
			"203.0.113.5", "203.0.113.6", "203.0.113.7", "203.0.113.8", "203.0.113.9", "203.0.113.10");

	/**
	 * The statuses of one request per claimed address on a route that lets each client send one
	 * request an hour; {@code header} carries the claim, built by {@code claim}.
	 */
	List<Integer> rateLimitedStatuses(String header, java.util.function.UnaryOperator<String> claim) {
		TestUpstream shop = start("shop");
		apply(List.of(Upstream.of("shop", shop.url())), Route.of("limited", "/limited/**", Backend.of("shop", 1))
			.withRateLimit(new RateLimitPolicy(1, 1, Duration.ofHours(1), HashKey.of("client-address"), null)));
		return CLAIMED.stream()
			.map(address -> client.get("/limited/x", Map.of(header, claim.apply(address))).statusCode())
			.toList();
	}

	/** The backends requests claiming the ten addresses reach on a 50/50 split sticky on the client address. */
	Set<String> stickyBackends() {
		TestUpstream v1 = start("v1");
		TestUpstream v2 = start("v2");
		apply(List.of(Upstream.of("v1", v1.url()), Upstream.of("v2", v2.url())),
				Route.of("sticky", "/sticky/**", Backend.of("v1", 50), Backend.of("v2", 50))
					.withCanary(CanaryPolicy.sticky(HashKey.of("client-address"))));
		Set<String> reached = new TreeSet<>();
		for (String address : CLAIMED) {
			reached.add(client.get("/sticky/x", Map.of("X-Forwarded-For", address)).body());
		}
		return reached;
	}

	/** The {@code Location} of a redirect answered to a request claiming another scheme and host. */
	String redirectLocation() {
		apply(List.of(), Route.redirect("moved", RouteMatch.path("/old/**"),
				new RedirectPolicy(null, null, null, "/new", null, 0)));
		return client.get("/old/x", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example:8443",
				"Forwarded", "proto=https;host=evil.example"))
			.headers()
			.firstValue("Location")
			.orElseThrow();
	}

}
