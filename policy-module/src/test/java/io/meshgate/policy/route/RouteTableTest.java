package io.meshgate.policy.route;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;

import io.meshgate.policy.hash.HashKey;
import io.meshgate.policy.ratelimit.RateLimitPolicy;
import io.meshgate.policy.route.lookup.IndexedRoutePredicateHandlerMapping;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/** The route table as the gateway serves it: order, size, and what an edit keeps. */
class RouteTableTest extends GatewayTest {

	@Autowired
	RoutePredicateHandlerMapping handlerMapping;

	@Test
	void routesMatchInTheirOrderWhateverTheirFirstSegment() {
		TestUpstream one = start("one");
		TestUpstream two = start("two");
		TestUpstream three = start("three");
		apply(List.of(Upstream.of("one", one.url()), Upstream.of("two", two.url()), Upstream.of("three", three.url())),
				Route.of("a-with-header", new RouteMatch("/a/**", null, null, Map.of("x-v", "1"), null, null, null, null, null, null),
						List.of(Backend.of("one", 1))),
				Route.of("catch-all", "/**", Backend.of("two", 1)),
				Route.of("a-exact", "/a/x", Backend.of("three", 1)));

		assertThat(client.get("/a/x", Map.of("x-v", "1")).body()).isEqualTo("one");
		assertThat(client.get("/a/x").body()).isEqualTo("two");
		assertThat(client.get("/b").body()).isEqualTo("two");
		assertThat(three.hits()).isZero();
	}

	@Test
	void everyPathTypeKeepsItsPlaceInTheOrder() {
		TestUpstream one = start("one");
		TestUpstream two = start("two");
		TestUpstream three = start("three");
		apply(List.of(Upstream.of("one", one.url()), Upstream.of("two", two.url()), Upstream.of("three", three.url())),
				Route.of("exact", RouteMatch.path(PathType.EXACT, "/r5/exact"), List.of(Backend.of("three", 1))),
				Route.of("regex", RouteMatch.path(PathType.REGEX, "/r[0-9]+/special"), List.of(Backend.of("two", 1))),
				Route.of("prefix", RouteMatch.path(PathType.PREFIX, "/r5"), List.of(Backend.of("one", 1))));

		assertThat(client.get("/r5/special").body()).isEqualTo("two");
		assertThat(client.get("/r7/special").body()).isEqualTo("two");
		assertThat(client.get("/r5/exact").body()).isEqualTo("three");
		assertThat(client.get("/r5").body()).isEqualTo("one");
		assertThat(client.get("/r5/x").body()).isEqualTo("one");
		assertThat(client.get("/r50").statusCode()).isEqualTo(404);
	}

	@Test
	void aLargeTableServesEveryRouteAndAnswers404OutsideIt() {
		TestUpstream upstream = start("up");
		List<Route> routes = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			routes.add(Route.of("r" + i, "/r" + i + "/**", Backend.of("up", 1)));
		}
		routing.apply(new MeshConfig(List.of(Upstream.of("up", upstream.url())), routes));
		assertThat(handlerMapping).isInstanceOf(IndexedRoutePredicateHandlerMapping.class);
		assertThat(((IndexedRoutePredicateHandlerMapping) handlerMapping).indexedRoutes()).isEqualTo(2000);

		for (String path : List.of("/r0/x", "/r999", "/r1999/a/b", "/r%31999/encoded")) {
			assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(client.get("/r2000/x").statusCode()).isEqualTo(404);
		assertThat(client.get("/").statusCode()).isEqualTo(404);
	}

	@Test
	void anEditKeepsTheStateOfRoutesItDoesNotChange() {
		TestUpstream upstream = start("up");
		Upstream up = Upstream.of("up", upstream.url());
		Route limited = Route.of("limited", "/limited/**", Backend.of("up", 1))
			.withRateLimit(new RateLimitPolicy(2, 2, Duration.ofMinutes(10), HashKey.of("header:x-key"), null));
		apply(List.of(up), limited);
		assertThat(client.get("/limited/1", Map.of("x-key", "k")).statusCode()).isEqualTo(200);
		assertThat(client.get("/limited/2", Map.of("x-key", "k")).statusCode()).isEqualTo(200);
		assertThat(client.get("/limited/3", Map.of("x-key", "k")).statusCode()).isEqualTo(429);

		apply(List.of(up), limited, Route.of("other", "/other/**", Backend.of("up", 1)));

		assertThat(client.get("/other/1").statusCode()).isEqualTo(200);
		assertThat(client.get("/limited/4", Map.of("x-key", "k")).statusCode())
			.as("the untouched route keeps its spent bucket")
			.isEqualTo(429);
	}

}
