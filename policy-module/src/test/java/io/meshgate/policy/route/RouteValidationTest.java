package io.meshgate.policy.route;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.meshgate.policy.canary.WeightedBackends;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per invalid argument of a route and of the whole configuration, each with its message. */
class RouteValidationTest {

	static final List<Backend> ONE = List.of(Backend.of("orders", 1));

	@Test
	void idIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of(" ", RouteMatch.path("/x"), ONE))
			.withMessage("id:   (expected: letters, digits, '-', '_' or '.', at most 128)");
	}

	@Test
	void matchIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of("r", null, ONE))
			.withMessage("match: null (expected: at least {path: /...})");
	}

	@Test
	void pathStartsWithSlash() {
		assertThatIllegalArgumentException().isThrownBy(() -> RouteMatch.path("orders/**"))
			.withMessage("path: orders/** (expected: a path pattern starting with /)");
	}

	@Test
	void methodsAreHttpMethods() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", List.of("get", "FETCH"), null, null))
			.withMessageStartingWith("methods: FETCH (expected: one of ");
	}

	@Test
	void headerValuesAreRegularExpressions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RouteMatch("/x", null, Map.of("x-env", "(canary"), null))
			.withMessage("headers.x-env: (canary (expected: a regular expression; Unclosed group)");
	}

	@Test
	void needsABackend() {
		assertThatIllegalArgumentException().isThrownBy(() -> Route.of("r", RouteMatch.path("/x"), List.of()))
			.withMessage("backends: [] (expected: at least one {upstream: name})");
	}

	@Test
	void backendWeightIsNotNegative() {
		assertThatIllegalArgumentException().isThrownBy(() -> Backend.of("orders", -5))
			.withMessage("weight: -5 (expected: >= 0)");
	}

	@Test
	void backendNamesAnUpstream() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backend("", 1))
			.withMessage("upstream:  (expected: the name of an upstream)");
	}

	@Test
	void weightsSumAboveZero() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Route.of("r", "/x", Backend.of("a", 0), Backend.of("b", 0)))
			.withMessage("backends: weights sum to 0 (expected: > 0)");
	}

	@Test
	void backendsReferenceExistingUpstreams() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("orders-v1", "http://127.0.0.1:1")),
					List.of(Route.of("orders", "/orders/**", Backend.of("orders-v1", 9), Backend.of("orders-v3", 1)))))
			.withMessage("routes[orders].backends[1].upstream: orders-v3 (expected: one of the upstreams [orders-v1])");
	}

	@Test
	void upstreamNamesAreUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(
					List.of(Upstream.of("a", "http://127.0.0.1:1"), Upstream.of("a", "http://127.0.0.1:2")), null))
			.withMessage("upstreams[a].name: a (expected: unique)");
	}

	@Test
	void routeIdsAreUnique() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MeshConfig(List.of(Upstream.of("a", "http://127.0.0.1:1")),
					List.of(Route.of("r", "/x", Backend.of("a", 1)), Route.of("r", "/y", Backend.of("a", 1)))))
			.withMessage("routes[r].id: r (expected: unique)");
	}

	@Test
	void canaryShortcutIsUpstreamColonWeight() {
		assertThatIllegalArgumentException().isThrownBy(() -> WeightedBackends.parse(List.of("orders-v1")))
			.withMessage("backends: orders-v1 (expected: upstream:weight)");
		assertThatIllegalArgumentException().isThrownBy(() -> WeightedBackends.parse(List.of("a:ten")))
			.withMessage("backends: a:ten (expected: upstream:weight, an integer weight)");
		assertThat(WeightedBackends.parse(List.of("a:90", " b:10 c:0"))).hasToString("a:90,b:10,c:0");
	}

	@Test
	void compilesToPlainGatewayPredicatesAndFilters() {
		Route route = Route.of("orders", new RouteMatch("/orders/**", List.of("GET"), Map.of("x-env", "beta"),
				"**.example.com"), List.of(Backend.of("v1", 90), Backend.of("v2", 10), Backend.of("v3", 0)));

		var definition = RouteCompiler.compile(route, 3);

		assertThat(definition.getUri()).hasToString("lb://v1");
		assertThat(definition.getOrder()).isEqualTo(3);
		assertThat(definition.getPredicates()).extracting(p -> p.getName())
			.containsExactly("Path", "Method", "Header", "Host");
		assertThat(definition.getFilters()).singleElement()
			.satisfies(f -> assertThat(f.getArgs()).containsEntry("backends", "v1:90,v2:10,v3:0"));
	}

}
