package io.meshgate.policy.route.plain;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PlainRouteLocator} with a builder that fails for definitions whose URI host is "bad". */
class PlainRouteLocatorTest {

	private final List<RouteDefinition> definitions = new ArrayList<>();

	private final AtomicInteger builds = new AtomicInteger();

	private boolean sourceFails;

	private final PlainRouteLocator locator = new PlainRouteLocator(
			() -> sourceFails ? Flux.error(new IllegalStateException("store down")) : Flux.fromIterable(definitions),
			definition -> {
				builds.incrementAndGet();
				if ("bad".equals(definition.getUri().getHost())) {
					return Mono.error(new IllegalArgumentException("Unable to find GatewayFilterFactory with name X"));
				}
				return Mono.just(Route.async(definition).asyncPredicate(exchange -> Mono.just(true)).build());
			});

	@Test
	void unchangedDefinitionsKeepTheirRoutesAndAreNotBuiltAgain() {
		definitions.add(definition("a", "good"));
		definitions.add(definition("b", "good"));
		List<Route> first = routes();

		List<Route> second = routes();

		assertThat(second).hasSize(2);
		assertThat(second.get(0)).isSameAs(first.get(0));
		assertThat(second.get(1)).isSameAs(first.get(1));
		assertThat(builds).hasValue(2);
	}

	@Test
	void aDefinitionThatCannotBeBuiltIsLeftOutAndTriedOnlyOnce() {
		definitions.add(definition("a", "good"));
		definitions.add(definition("x", "bad"));

		assertThat(ids(routes())).containsExactly("a");
		assertThat(ids(routes())).containsExactly("a");
		assertThat(builds).hasValue(2);
		assertThat(locator.failures(List.copyOf(definitions)).block())
			.isEqualTo(Map.of("x", "Unable to find GatewayFilterFactory with name X"));
	}

	@Test
	void aRouteEditedIntoOneThatCannotBeBuiltKeepsItsLastGoodVersion() {
		definitions.add(definition("a", "good"));
		Route good = routes().get(0);

		definitions.set(0, definition("a", "bad"));

		assertThat(routes()).containsExactly(good);
		definitions.set(0, definition("a", "fixed"));
		assertThat(routes()).singleElement().isNotSameAs(good);
	}

	@Test
	void whenTheDefinitionsCannotBeReadTheLastRoutesKeepServing() {
		definitions.add(definition("a", "good"));
		List<Route> served = routes();

		sourceFails = true;

		assertThat(routes()).isEqualTo(served);
	}

	private List<Route> routes() {
		return locator.getRoutes().collectList().block();
	}

	private static List<String> ids(List<Route> routes) {
		return routes.stream().map(Route::getId).toList();
	}

	private static RouteDefinition definition(String id, String host) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(id);
		definition.setUri(URI.create("http://" + host));
		return definition;
	}

}
