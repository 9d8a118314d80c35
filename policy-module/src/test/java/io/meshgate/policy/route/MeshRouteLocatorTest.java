package io.meshgate.policy.route;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshRouteLocatorTest {

	/** The ids of the definitions converted, in order, as the gateway was handed them. */
	private final List<String> converted = new ArrayList<>();

	/** Converts like the gateway's strict locator: a filter named {@code Broken} fails its route. */
	private final MeshRouteLocator locator = new MeshRouteLocator(source -> () -> source.getRouteDefinitions()
		.map(definition -> {
			converted.add(definition.getId());
			if (definition.getFilters().stream().anyMatch(f -> f.getName().equals("Broken"))) {
				throw new IllegalArgumentException("the factory refuses " + definition.getId());
			}
			return Route.async().id(definition.getId()).uri(definition.getUri()).predicate(exchange -> true).build();
		}));

	@Test
	void routesCanBeAskedForOnANonBlockingThread() {
		// as on an event loop, where a request can arrive before the gateway's first route refresh
		locator.install(locator.convert(List.of(definition("a", "http://a"), definition("b", "http://b"))));

		List<Route> routes = locator.getRoutes().collectList().subscribeOn(Schedulers.parallel()).block();

		assertThat(routes).extracting(Route::getId).containsExactly("a", "b");
	}

	@Test
	void anUnchangedDefinitionKeepsItsRouteAndOnlyChangedOnesAreConverted() {
		locator.install(locator.convert(List.of(definition("a", "http://a"), definition("b", "http://b"))));
		List<Route> before = locator.getRoutes().collectList().block();

		locator.install(locator.convert(
				List.of(definition("a", "http://a"), definition("b", "http://b2"), definition("c", "http://c"))));
		List<Route> after = locator.getRoutes().collectList().block();

		assertThat(after).extracting(Route::getId).containsExactly("a", "b", "c");
		assertThat(after.get(0)).isSameAs(before.get(0));
		assertThat(after.get(1)).isNotSameAs(before.get(1));
		assertThat(after.get(1).getUri().getHost()).isEqualTo("b2");
		assertThat(converted).containsExactly("a", "b", "b", "c");
		assertThat(locator.getRoutes().collectList().block()).isEqualTo(after);
		assertThat(converted).as("asking for routes converts nothing").hasSize(4);
	}

	@Test
	void anEditOfOneRouteAmongTenThousandConvertsThatRouteOnly() {
		List<RouteDefinition> definitions = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			definitions.add(definition("r" + i, "http://u" + i));
		}
		locator.install(locator.convert(definitions));
		List<Route> before = locator.getRoutes().collectList().block();
		converted.clear();

		List<RouteDefinition> edited = new ArrayList<>(definitions);
		edited.set(5_000, definition("r5000", "http://changed"));
		locator.install(locator.convert(edited));

		assertThat(converted).containsExactly("r5000");
		List<Route> after = locator.getRoutes().collectList().block();
		assertThat(after).hasSize(10_000);
		for (int i = 0; i < 10_000; i++) {
			if (i == 5_000) {
				assertThat(after.get(i).getUri().getHost()).isEqualTo("changed");
			}
			else {
				assertThat(after.get(i)).isSameAs(before.get(i));
			}
		}
	}

	@Test
	void everyDefinitionThatDoesNotConvertIsNamedAndTheTableInForceStays() {
		locator.install(locator.convert(List.of(definition("a", "http://a"))));
		List<Route> before = locator.getRoutes().collectList().block();
		converted.clear();

		assertThatThrownBy(() -> locator.convert(List.of(definition("a", "http://a2"), broken("x"),
				definition("b", "http://b"), broken("y"))))
			.isInstanceOfSatisfying(RouteConversionException.class, ex -> assertThat(ex.errors()).containsExactly(
					"routes[x]: filter Broken (expected: arguments Spring Cloud Gateway's Broken factory accepts; "
							+ "its answer is in the gateway's log)",
					"routes[y]: filter Broken (expected: arguments Spring Cloud Gateway's Broken factory accepts; "
							+ "its answer is in the gateway's log)"));

		// every definition was tried, each once, then each part of the two that failed
		assertThat(converted).startsWith("a", "x", "b", "y");
		assertThat(locator.getRoutes().collectList().block()).isEqualTo(before);
		assertThat(locator.definitions()).containsExactly(definition("a", "http://a"));
	}

	private static RouteDefinition definition(String id, String uri) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(id);
		definition.setUri(URI.create(uri));
		return definition;
	}

	private static RouteDefinition broken(String id) {
		RouteDefinition definition = definition(id, "http://" + id);
		FilterDefinition ok = new FilterDefinition();
		ok.setName("Fine");
		FilterDefinition broken = new FilterDefinition();
		broken.setName("Broken");
		broken.setArgs(Map.of("value", "1"));
		definition.setFilters(List.of(ok, broken));
		return definition;
	}

}
