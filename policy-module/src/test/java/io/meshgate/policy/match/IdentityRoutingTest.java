package io.meshgate.policy.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestIdentityFilter;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing by who is calling, on a real gateway with real upstreams: routes match on the verified
 * token's claims and the verified client certificate's principal, read from the request's identity
 * ({@link TestIdentityFilter} stands in for the edge's token and certificate checks). Every route
 * sends to its own upstream, whose name is the body; {@code v1} takes what the others leave.
 */
class IdentityRoutingTest extends GatewayTest {

	@Test
	void betaUsersGoToV2AndEveryoneElseToV1() {
		routes(route("v2", match().withClaims(Map.of("tier", "beta"))));

		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "alice", "tier", "beta")))).isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "bob", "tier", "gold")))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "carol")))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "dave", "tier", "betamax"))))
			.as("the whole value must match").isEqualTo("v1");
		assertThat(body(Map.of())).as("anonymous").isEqualTo("v1");
		assertThat(body(Map.of("tier", "beta"))).as("a header never stands in for a claim").isEqualTo("v1");
	}

	@Test
	void claimValuesAreRegularExpressionsLikeHeaderMatches() {
		routes(route("v2", match().withClaims(Map.of("tier", "beta|canary", "sub", "user-[0-9]+"))));

		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "user-7", "tier", "canary")))).isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "user-7", "tier", "beta")))).isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "admin", "tier", "beta"))))
			.as("every claim must match").isEqualTo("v1");
	}

	@Test
	void anArrayClaimMatchesWhenOneElementDoesAndNestedClaimsByTheirPath() {
		routes(route("admins", match().withClaims(Map.of("realm.roles", "admin"))),
				route("v2", match().withClaims(Map.of("groups", "beta-testers"))));

		assertThat(asCaller(TestIdentityFilter.claims(Map.of("groups", List.of("staff", "beta-testers")))))
			.isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("groups", List.of("staff"))))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("groups", List.of())))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("realm", Map.of("roles", List.of("user", "admin"))))))
			.isEqualTo("admins");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("realm", Map.of("roles", List.of("user"))))))
			.isEqualTo("v1");
		// a namespaced claim whose name holds the dots is that claim
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("realm.roles", "admin")))).isEqualTo("admins");
		// an object never matches as a whole
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("groups", Map.of("beta-testers", true)))))
			.isEqualTo("v1");
	}

	@Test
	void numbersAndBooleansMatchAsTheirJsonText() {
		routes(route("v2", match().withClaims(Map.of("level", "3", "beta", "true"))));

		assertThat(asCaller(TestIdentityFilter.claims(Map.of("level", 3, "beta", true)))).isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("level", 3.0, "beta", true))))
			.as("3.0 reads as 3").isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("level", List.of(1, 3), "beta", true)))).isEqualTo("v2");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("level", 3, "beta", false)))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("level", 3, "beta", "true"))))
			.as("a string claim reads as itself").isEqualTo("v2");
	}

	@Test
	void peerPrincipalsMatchExactlyOrByPrefixOrSuffix() {
		routes(route("web", match().withPrincipals(List.of("spiffe://cluster.local/ns/shop/sa/web"))),
				route("shop", match().withPrincipals(List.of("spiffe://cluster.local/ns/shop/*", "*.shop.example.com"))));

		assertThat(asCaller(TestIdentityFilter.principal("spiffe://cluster.local/ns/shop/sa/web"))).isEqualTo("web");
		assertThat(asCaller(TestIdentityFilter.principal("spiffe://cluster.local/ns/shop/sa/cart"))).isEqualTo("shop");
		assertThat(asCaller(TestIdentityFilter.principal("pay.shop.example.com"))).isEqualTo("shop");
		assertThat(asCaller(TestIdentityFilter.principal("spiffe://cluster.local/ns/other/sa/web"))).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.principal("spiffe://cluster.local/ns/shop/sa/web/x")))
			.as("exact is exact").isEqualTo("shop");
		assertThat(body(Map.of())).as("anonymous").isEqualTo("v1");
	}

	@Test
	void anAnonymousRequestNeverMatchesAnIdentityRouteEvenOneThatTakesAnyValue() {
		routes(route("any-token", match().withClaims(Map.of("sub", ".*"))),
				route("any-peer", match().withPrincipals(List.of("*"))));

		assertThat(body(Map.of())).isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.consumer("shop-frontend")))
			.as("an API key's consumer has no claims and no certificate").isEqualTo("v1");
		assertThat(asCaller(TestIdentityFilter.claims(Map.of("sub", "")))).isEqualTo("any-token");
		assertThat(asCaller(TestIdentityFilter.principal("spiffe://x/y"))).isEqualTo("any-peer");
	}

	@Test
	void identityRoutesLiveInTheRouteIndexBesideOthersOfTheirSegment() {
		// the index files both under "orders": the identity route stays a candidate, in its place
		apply(upstreams(start("v1"), start("v2"), start("other")),
				route("other", RouteMatch.path("/other/**")),
				route("v2", RouteMatch.path("/orders/**").withClaims(Map.of("tier", "beta"))),
				Route.of("v1", RouteMatch.path("/orders/**"), List.of(Backend.of("v1", 1))));

		assertThat(client.get("/orders/1", Map.of(TestIdentityFilter.HEADER,
				TestIdentityFilter.claims(Map.of("tier", "beta")))).body()).isEqualTo("v2");
		assertThat(client.get("/orders/1").body()).isEqualTo("v1");
		assertThat(client.get("/other/1", Map.of(TestIdentityFilter.HEADER,
				TestIdentityFilter.claims(Map.of("tier", "beta")))).body()).isEqualTo("other");
	}

	/** The identity routes first, then the catch-all route to {@code v1}; an upstream per route id. */
	private void routes(Route... identityRoutes) {
		List<TestUpstream> servers = new ArrayList<>();
		for (Route route : identityRoutes) {
			servers.add(start(route.id()));
		}
		servers.add(start("v1"));
		Route[] all = Arrays.copyOf(identityRoutes, identityRoutes.length + 1);
		all[identityRoutes.length] = route("v1", match());
		apply(upstreams(servers.toArray(TestUpstream[]::new)), all);
	}

	private static RouteMatch match() {
		return RouteMatch.path(PathType.PREFIX, "/orders");
	}

	private String asCaller(String identity) {
		return body(Map.of(TestIdentityFilter.HEADER, identity));
	}

	private String body(Map<String, String> headers) {
		var response = client.get("/orders/1", headers);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/** A route to the upstream started under the route's id. */
	private static Route route(String id, RouteMatch match) {
		return Route.of(id, match, List.of(Backend.of(id, 1)));
	}

	private static List<Upstream> upstreams(TestUpstream... servers) {
		return Arrays.stream(servers).map(s -> Upstream.of(s.name(), s.url())).toList();
	}

}
