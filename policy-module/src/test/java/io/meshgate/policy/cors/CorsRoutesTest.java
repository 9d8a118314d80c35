package io.meshgate.policy.cors;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each route's CORS filter is resolved when the gateway's route table is, and found by route
 * object; a route the table does not list yet is still served with its own filter.
 */
class CorsRoutesTest {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CorsFilter cors = new CorsFilter(CorsPolicy.allowing("https://app.example.com"), "cors", meters);

	private final Route withCors = route("cors", new OrderedGatewayFilter(cors, cors.getOrder()));

	private final Route plain = route("plain", null);

	@Test
	void theTableIsResolvedOnceWhenTheGatewaysRouteCacheIsRebuilt() {
		CorsRoutes routes = new CorsRoutes(() -> Flux.just(withCors, plain));

		routes.onApplicationEvent(new RefreshRoutesResultEvent(this));

		assertThat(routes.of(withCors)).isSameAs(cors);
		assertThat(routes.of(plain)).isNull();
		assertThat(routes.of(null)).isNull();
	}

	@Test
	void aRouteTheTableDoesNotListYetIsServedWithItsOwnFilter() {
		CorsRoutes routes = new CorsRoutes(Flux::empty);
		routes.resolve(List.of(plain));

		assertThat(routes.of(withCors)).isSameAs(cors);
		// found by the route object, not by an equal one
		Route sameIdOtherFilters = route("plain", new OrderedGatewayFilter(cors, cors.getOrder()));
		assertThat(routes.of(sameIdOtherFilters)).isSameAs(cors);
	}

	private static Route route(String id, OrderedGatewayFilter filter) {
		Route.AsyncBuilder builder = Route.async()
			.id(id)
			.uri("http://127.0.0.1:1")
			.asyncPredicate(exchange -> Mono.just(true));
		if (filter != null) {
			builder.filter(filter);
		}
		return builder.build();
	}

}
