package io.meshgate.policy.route;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;

import static org.assertj.core.api.Assertions.assertThat;

class MeshRouteLocatorTest {

	private final AtomicInteger conversions = new AtomicInteger();

	private final MeshRouteLocator locator = new MeshRouteLocator(definitions -> Flux.fromIterable(definitions)
		.doOnNext(d -> conversions.incrementAndGet())
		.map(d -> Route.async().id(d.getId()).uri(d.getUri()).predicate(exchange -> true).build()));

	@Test
	void routesCanBeAskedForOnANonBlockingThread() {
		// as on an event loop, where a request can arrive before the gateway's first route refresh
		locator.set(List.of(definition("a", "http://a"), definition("b", "http://b")));

		List<Route> routes = locator.getRoutes().collectList().subscribeOn(Schedulers.parallel()).block();

		assertThat(routes).extracting(Route::getId).containsExactly("a", "b");
	}

	@Test
	void anUnchangedDefinitionKeepsItsRouteAndOnlyChangedOnesAreConverted() {
		locator.set(List.of(definition("a", "http://a"), definition("b", "http://b")));
		List<Route> before = locator.getRoutes().collectList().block();

		locator.set(List.of(definition("a", "http://a"), definition("b", "http://b2"), definition("c", "http://c")));
		List<Route> after = locator.getRoutes().collectList().block();

		assertThat(after).extracting(Route::getId).containsExactly("a", "b", "c");
		assertThat(after.get(0)).isSameAs(before.get(0));
		assertThat(after.get(1)).isNotSameAs(before.get(1));
		assertThat(after.get(1).getUri().getHost()).isEqualTo("b2");
		assertThat(conversions).hasValue(4);
		assertThat(locator.getRoutes().collectList().block()).isEqualTo(after);
		assertThat(conversions).as("nothing converted again").hasValue(4);
	}

	private static RouteDefinition definition(String id, String uri) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(id);
		definition.setUri(URI.create(uri));
		return definition;
	}

}
