package io.meshgate.policy.route.lookup;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.server.PathContainer;

import static org.assertj.core.api.Assertions.assertThat;

class RouteIndexTest {

	@Test
	void firstLiteralSegmentIsTakenOnlyWhenCertain() {
		assertThat(RouteIndex.firstLiteralSegment("/orders/**")).isEqualTo("orders");
		assertThat(RouteIndex.firstLiteralSegment("/orders")).isEqualTo("orders");
		assertThat(RouteIndex.firstLiteralSegment("/v1.2_x~y-z/{id}")).isEqualTo("v1.2_x~y-z");
		assertThat(RouteIndex.firstLiteralSegment("/**")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/{tenant}/orders")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/ord*/x")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/ord?rs")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/a%20b/x")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("/a;v=1/x")).isNull();
		assertThat(RouteIndex.firstLiteralSegment("orders")).isNull();
	}

	@Test
	void candidatesAreTheSegmentsRoutesAndTheAnySegmentRoutesInTheirOriginalOrder() {
		List<Route> routes = List.of(route("a1", "a"), route("any1", null), route("b1", "b"), route("a2", "a"),
				route("any2", null));
		RouteIndex index = RouteIndex.of(routes);

		assertThat(ids(index.candidates(path("/a/x")))).containsExactly("a1", "any1", "a2", "any2");
		assertThat(ids(index.candidates(path("/b")))).containsExactly("any1", "b1", "any2");
		assertThat(ids(index.candidates(path("/c/a")))).containsExactly("any1", "any2");
		assertThat(ids(index.candidates(path("/")))).containsExactly("any1", "any2");
		assertThat(ids(index.candidates(path("//a")))).containsExactly("any1", "any2");
		// the Path predicate matches decoded segments: so does the index
		assertThat(ids(index.candidates(path("/%61/x")))).containsExactly("a1", "any1", "a2", "any2");
		assertThat(ids(index.candidates(path("/a;v=1/x")))).containsExactly("a1", "any1", "a2", "any2");
	}

	@Test
	void manyAnySegmentRoutesAreMergedPerRequestInOrder() {
		List<Route> routes = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			routes.add(route("any" + i, null));
			if (i == 50) {
				routes.add(route("a", "a"));
			}
		}
		List<String> candidates = ids(RouteIndex.of(routes).candidates(path("/a")));

		assertThat(candidates).hasSize(101);
		assertThat(candidates.indexOf("a")).isEqualTo(51);
		assertThat(candidates.get(50)).isEqualTo("any50");
		assertThat(candidates.get(52)).isEqualTo("any51");
	}

	@Test
	void aMetadataValueThatIsNotALiteralSegmentMakesTheRouteACandidateForEveryPath() {
		RouteIndex index = RouteIndex.of(List.of(route("odd", "a/b"), route("b", "b")));

		assertThat(ids(index.candidates(path("/x")))).containsExactly("odd");
		assertThat(ids(index.candidates(path("/b")))).containsExactly("odd", "b");
	}

	private static Route route(String id, String segment) {
		Route.AsyncBuilder builder = Route.async().id(id).uri(URI.create("http://localhost:1")).predicate(e -> true);
		if (segment != null) {
			builder.metadata(Map.of(RouteIndex.FIRST_SEGMENT, segment));
		}
		return builder.build();
	}

	private static PathContainer path(String raw) {
		return PathContainer.parsePath(raw);
	}

	private static List<String> ids(List<Route> routes) {
		return routes.stream().map(Route::getId).toList();
	}

}
