package io.meshgate.gateway.plain;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionRepository;
import org.springframework.context.ApplicationEventPublisher;

import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain route that cannot be built at run time, added through the gateway's
 * {@code RouteDefinitionRepository} (where the actuator writes) and then refreshed, by the
 * gateway or by an edit of Meshgate's routes: the other routes keep serving, new good ones are
 * served, a route edited into a bad one keeps its last good version, and the error is logged once.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlainRouteRuntimeTest extends PlainRoutesTestSupport {

	private static final String UNKNOWN_NAME = "Route late-bad cannot be built: Unable to find RoutePredicateFactory "
			+ "with name Wieght; it is not served";

	private static final String BAD_EDIT = "Route late-good cannot be built: ";

	@Autowired
	RouteDefinitionRepository repository;

	@Autowired
	ApplicationEventPublisher events;

	@AfterEach
	void removeLateRoutes() {
		for (String id : List.of("late-bad", "late-good")) {
			repository.delete(Mono.just(id)).onErrorResume(error -> Mono.empty()).block();
		}
		refresh();
	}

	@Test
	void aRouteWithAnUnknownNameIsLeftOutAndEveryOtherRouteServes(CapturedOutput output) {
		save(route("late-bad", "SetStatus=418", "Wieght=group1, 8"));
		save(route("late-good", "PrefixPath=/late"));
		refresh();

		assertThat(echo("late-good", "/a").uri()).isEqualTo("/late/a");
		assertThat(client.get("late-bad", "/a").status()).isEqualTo(404);
		assertThat(echo("After", "/a").upstream()).isEqualTo("echo");
		assertThat(echo("-", "/mesh/a").upstream()).isEqualTo("other");

		// Meshgate's own refresh: its new route is served, the bad plain route is not logged again
		routing.apply(new MeshConfig(MESH.upstreams(),
				List.of(MESH.routes().get(0), Route.of("mesh-two", "/mesh-two/**", Backend.of("mesh", 1)))));
		refresh();
		assertThat(echo("-", "/mesh-two/a").upstream()).isEqualTo("other");
		assertThat(echo("late-good", "/a").uri()).isEqualTo("/late/a");
		assertThat(output.getOut().split(UNKNOWN_NAME, -1)).hasSize(2);
	}

	@Test
	void aRouteEditedIntoABadOneKeepsItsLastGoodVersion(CapturedOutput output) {
		save(route("late-good", "PrefixPath=/late"));
		refresh();
		assertThat(echo("late-good", "/a").uri()).isEqualTo("/late/a");

		save(route("late-good", "StripPrefix=two"));
		refresh();
		refresh();

		assertThat(echo("late-good", "/a").uri()).isEqualTo("/late/a");
		assertThat(echo("After", "/a").upstream()).isEqualTo("echo");
		assertThat(output.getOut().split(BAD_EDIT, -1)).hasSize(2);
		assertThat(output.getOut()).contains("its last good version keeps serving");
	}

	private void save(RouteDefinition route) {
		repository.save(Mono.just(route)).block();
	}

	/** What the actuator's refresh does; the table is rebuilt before this returns. */
	private void refresh() {
		events.publishEvent(new RefreshRoutesEvent(this));
	}

	private EchoUpstream.Echo echo(String route, String path) {
		ExampleClient.Answer answer = await().until(() -> client.get(route, path), got -> got.status() == 200);
		return answer.echo();
	}

	/** A route to the echo upstream for requests with {@code X-Example: id} that hold {@code predicates}. */
	private static RouteDefinition route(String id, String filter, String... predicates) {
		RouteDefinition route = new RouteDefinition();
		route.setId(id);
		route.setUri(URI.create(ECHO.url()));
		List<PredicateDefinition> all = new ArrayList<>();
		all.add(new PredicateDefinition("Header=" + ExampleClient.ROUTE + ", " + id));
		for (String predicate : predicates) {
			all.add(new PredicateDefinition(predicate));
		}
		route.setPredicates(all);
		route.setFilters(List.of(new FilterDefinition(filter)));
		return route;
	}

}
