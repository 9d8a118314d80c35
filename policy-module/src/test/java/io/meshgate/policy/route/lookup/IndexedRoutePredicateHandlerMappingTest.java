package io.meshgate.policy.route.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.handler.AsyncPredicate;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR;

class IndexedRoutePredicateHandlerMappingTest {

	private final List<String> tested = new ArrayList<>();

	@Test
	void predicatesThatAnswerAtOnceAreReadInOrder() {
		Route found = lookup(route("no", sync(false)), route("yes", sync(true)), route("later", sync(true)));

		assertThat(found.getId()).isEqualTo("yes");
		assertThat(tested).containsExactly("no", "yes");
	}

	@Test
	void asynchronousPredicatesAreWaitedForWithoutChangingTheOrder() {
		assertThat(lookup(route("a", sync(false)), route("b", later(false)), route("c", sync(true)),
				route("d", later(true)))
			.getId()).isEqualTo("c");
		assertThat(lookup(route("a", later(true)), route("b", sync(true))).getId()).isEqualTo("a");
		assertThat(lookup(route("a", later(false)), route("b", later(false)), route("c", later(true))).getId())
			.isEqualTo("c");
	}

	@Test
	void combinedPredicatesMatchAsTheGatewayCombinesThem() {
		AsyncPredicate<ServerWebExchange> both = sync(true).and(sync(true));
		AsyncPredicate<ServerWebExchange> one = sync(true).and(sync(false));

		assertThat(lookup(route("one", one), route("both", both)).getId()).isEqualTo("both");
	}

	@Test
	void aPredicateThatFailsDoesNotMatchAndTheLookupGoesOn() {
		AsyncPredicate<ServerWebExchange> throwing = exchange -> {
			throw new IllegalStateException("broken predicate");
		};
		AsyncPredicate<ServerWebExchange> failing = exchange -> Mono.error(new IllegalStateException("broken"));
		AsyncPredicate<ServerWebExchange> empty = exchange -> Mono.<Boolean>empty().delaySubscription(Duration.ZERO);

		assertThat(lookup(route("t", throwing), route("f", failing), route("e", empty), route("ok", sync(true)))
			.getId()).isEqualTo("ok");
	}

	@Test
	void manyPredicatesThatAnswerWithoutBeingScalarDoNotDeepenTheStack() {
		// combined predicates answer on the calling thread, but not with a Mono.just
		Route[] routes = new Route[5001];
		for (int i = 0; i < 5000; i++) {
			routes[i] = route("no" + i, sync(true).and(sync(false)));
		}
		routes[5000] = route("yes", sync(true).and(sync(true)));

		assertThat(lookup(routes).getId()).isEqualTo("yes");
		assertThat(tested).hasSize(5001);
	}

	@Test
	void noMatchIsEmpty() {
		assertThat(lookup(route("a", sync(false)), route("b", later(false)))).isNull();
	}

	/** The route found for a request, after a route refresh that indexes {@code routes}. */
	private Route lookup(Route... routes) {
		tested.clear();
		IndexedRoutePredicateHandlerMapping mapping = new IndexedRoutePredicateHandlerMapping(
				new FilteringWebHandler(List.of(), false), () -> Flux.just(routes), new GlobalCorsProperties(),
				new StandardEnvironment());
		mapping.onApplicationEvent(new RefreshRoutesResultEvent(this));
		assertThat(mapping.indexedRoutes()).isEqualTo(routes.length);
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
		Route found = mapping.lookupRoute(exchange).block(Duration.ofSeconds(5));
		if (found != null) {
			assertThat((String) exchange.getAttribute(GATEWAY_PREDICATE_ROUTE_ATTR)).isEqualTo(found.getId());
		}
		return found;
	}

	private Route route(String id, AsyncPredicate<ServerWebExchange> predicate) {
		return Route.async()
			.id(id)
			.uri(URI.create("http://localhost:1"))
			.asyncPredicate(exchange -> {
				tested.add(id);
				return predicate.apply(exchange);
			})
			.build();
	}

	/** A predicate as the gateway makes of a plain one: its answer is a {@code Mono.just}. */
	private static AsyncPredicate<ServerWebExchange> sync(boolean answer) {
		return AsyncPredicate.from(exchange -> answer);
	}

	/** A predicate that answers on another thread. */
	private static AsyncPredicate<ServerWebExchange> later(boolean answer) {
		return exchange -> Mono.just(answer).delayElement(Duration.ofMillis(1));
	}

}
