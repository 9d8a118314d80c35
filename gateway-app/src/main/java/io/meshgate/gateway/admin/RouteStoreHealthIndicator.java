package io.meshgate.gateway.admin;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.meshgate.admin.store.RouteStore;
import io.meshgate.admin.store.StoredConfig;

/**
 * {@code routeStore} in {@code /actuator/health}, part of readiness: the route store answers
 * (the file reads, the ConfigMap is reachable). A replica whose store is gone could not take an
 * edit or see the other replicas' ones, so it leaves the load balancer until the store is back.
 * Spring Boot calls blocking indicators off the event loop.
 */
final class RouteStoreHealthIndicator implements HealthIndicator {

	private final RouteStore store;

	RouteStoreHealthIndicator(RouteStore store) {
		this.store = store;
	}

	@Override
	public Health health() {
		try {
			long version = store.current().map(StoredConfig::version).orElse(0L);
			return Health.up().withDetail("store", store.describe()).withDetail("version", version).build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("store", store.describe()).withDetail("error", ex.getMessage()).build();
		}
	}

}
