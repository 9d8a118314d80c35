package io.meshgate.policy.route;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;

/** Serves the route definitions compiled from the current {@link MeshConfig}. */
public final class MeshRouteDefinitionLocator implements RouteDefinitionLocator {

	private volatile List<RouteDefinition> definitions = List.of();

	@Override
	public Flux<RouteDefinition> getRouteDefinitions() {
		return Flux.fromIterable(definitions);
	}

	void set(List<RouteDefinition> definitions) {
		this.definitions = List.copyOf(definitions);
	}

}
