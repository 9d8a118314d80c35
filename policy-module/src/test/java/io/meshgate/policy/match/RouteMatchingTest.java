package io.meshgate.policy.match;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.PathType;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.route.RouteMatch;
import io.meshgate.policy.testing.GatewayTest;
import io.meshgate.policy.testing.RawHttp;
import io.meshgate.policy.testing.TestUpstream;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each path type, query, header and method match on a real gateway: every route sends to its own
 * upstream, whose name is the body; a request no route takes gets 404.
 */
class RouteMatchingTest extends GatewayTest {

	@Test
	void pathTypes() {
		apply(upstreams(start("exact"), start("prefix"), start("root"), start("regex"), start("pattern")),
				route("exact", new RouteMatch("/health", PathType.EXACT, null, null, null, null, null, null, null, null)),
				route("prefix", RouteMatch.path(PathType.PREFIX, "/shop/")),
				route("regex", new RouteMatch("/v[0-9]+/items/\\d+", PathType.REGEX, null, null, null, null, null, null, null, null)),
				route("pattern", RouteMatch.path("/users/{id}")),
				route("root", RouteMatch.path(PathType.PREFIX, "/")));

		assertThat(body("/health")).isEqualTo("exact");
		assertThat(body("/health/")).isEqualTo("root");
		assertThat(body("/healthy")).isEqualTo("root");
		// element-wise prefix; the trailing / of "/shop/" does not count
		assertThat(body("/shop")).isEqualTo("prefix");
		assertThat(body("/shop/")).isEqualTo("prefix");
		assertThat(body("/shop/cart/1?x=1")).isEqualTo("prefix");
		assertThat(body("/shopping")).isEqualTo("root");
		assertThat(body("/v2/items/17")).isEqualTo("regex");
		assertThat(body("/v2/items/17/more")).as("the whole path must match").isEqualTo("root");
		assertThat(body("/xv2/items/17")).isEqualTo("root");
		assertThat(body("/users/42")).isEqualTo("pattern");
		assertThat(body("/users/42/orders")).isEqualTo("root");
	}

	@Test
	void prefixWithoutCatchAllLeavesOtherPathsUnrouted() {
		apply(upstreams(start("prefix")), route("prefix", RouteMatch.path(PathType.PREFIX, "/api/v1")));

		assertThat(body("/api/v1/users")).isEqualTo("prefix");
		assertThat(client.get("/api/v10").statusCode()).isEqualTo(404);
		assertThat(client.get("/api").statusCode()).isEqualTo(404);
	}

	@Test
	void queryMatchesTheFirstValueWholly() {
		apply(upstreams(start("v2"), start("other")),
				route("v2", new RouteMatch("/", PathType.PREFIX, null, null, Map.of("version", "v2|beta"), null, null, null, null, null)),
				route("other", RouteMatch.path(PathType.PREFIX, "/")));

		assertThat(body("/items?version=v2")).isEqualTo("v2");
		assertThat(body("/items?a=1&version=beta")).isEqualTo("v2");
		assertThat(body("/items?version=v2x")).isEqualTo("other");
		assertThat(body("/items?version=v1&version=v2")).as("only the first value counts").isEqualTo("other");
		assertThat(body("/items")).isEqualTo("other");
	}

	@Test
	void headersAndMethods() {
		apply(upstreams(start("beta-post"), start("other")),
				route("beta-post",
						new RouteMatch("/orders", PathType.EXACT, List.of("POST", "PUT"), Map.of("x-env", "beta|canary"),
								null, null, null, null, null, null)),
				route("other", RouteMatch.path(PathType.PREFIX, "/")));

		assertThat(client.send("POST", "/orders", Map.of("X-Env", "beta")).body()).isEqualTo("beta-post");
		assertThat(client.send("PUT", "/orders", Map.of("x-env", "canary")).body()).isEqualTo("beta-post");
		assertThat(client.send("GET", "/orders", Map.of("x-env", "beta")).body()).isEqualTo("other");
		assertThat(client.send("POST", "/orders", Map.of("x-env", "betamax")).body()).isEqualTo("other");
		assertThat(client.send("POST", "/orders", Map.of()).body()).isEqualTo("other");
	}

	/**
	 * Over raw sockets, with exactly the Host header given: ports and case do not matter, a
	 * wildcard takes one or more labels but not the apex, and a Host that is not a host name meets
	 * only the route without a host.
	 */
	@Test
	void hostsIgnorePortAndCaseAndWildcardsNeverTheApex() {
		apply(upstreams(start("exact"), start("below"), start("apex-and-below"), start("any")),
				route("exact", new RouteMatch("/", PathType.PREFIX, null, null, null, "very.specific.com", null, null, null, null)),
				route("below", new RouteMatch("/", PathType.PREFIX, null, null, null, "*.wildcard.io", null, null, null, null)),
				route("apex-and-below",
						new RouteMatch("/", PathType.PREFIX, null, null, null, "**.example.com", null, null, null, null)),
				route("any", RouteMatch.path(PathType.PREFIX, "/")));

		assertThat(byHost("very.specific.com")).isEqualTo("exact");
		assertThat(byHost("very.specific.com:1234")).isEqualTo("exact");
		assertThat(byHost("very.specific.com:" + port)).isEqualTo("exact");
		assertThat(byHost("VERY.specific.com")).isEqualTo("exact");
		assertThat(byHost("very.specific.com.")).isEqualTo("exact");
		assertThat(byHost("foo.wildcard.io")).isEqualTo("below");
		assertThat(byHost("foo.bar.wildcard.io:8080")).isEqualTo("below");
		assertThat(byHost("Foo.WILDCARD.io")).isEqualTo("below");
		assertThat(byHost("wildcard.io")).as("a wildcard never takes the apex").isEqualTo("any");
		assertThat(byHost("example.com")).isEqualTo("apex-and-below");
		assertThat(byHost("a.b.example.com:443")).isEqualTo("apex-and-below");
		assertThat(byHost("[::1]:8080")).isEqualTo("any");
		assertThat(byHost("very.specific.com/x")).as("a Host that is not a host is none").isEqualTo("any");
		assertThat(byHost("very.specific.com" + ".x".repeat(200))).isEqualTo("any");
	}

	private String byHost(String host) {
		RawHttp.Response response = RawHttp.send(port, "GET", "/", Map.of("Host", host));
		assertThat(response.status()).as(host).isEqualTo(200);
		return response.body();
	}

	private String body(String path) {
		var response = client.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	/** A route to the upstream started under the route's id. */
	private static Route route(String id, RouteMatch match) {
		return Route.of(id, match, List.of(Backend.of(id, 1)));
	}

	private static List<Upstream> upstreams(TestUpstream... servers) {
		return java.util.Arrays.stream(servers).map(s -> Upstream.of(s.name(), s.url())).toList();
	}

}
