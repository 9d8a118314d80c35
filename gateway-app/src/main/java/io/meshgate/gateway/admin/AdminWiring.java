package io.meshgate.gateway.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.ConfigOverlay;
import io.meshgate.admin.store.FileRouteStore;
import io.meshgate.admin.store.KubernetesRouteStore;
import io.meshgate.admin.store.RouteStore;
import io.meshgate.policy.config.MeshProperties;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.MeshRouting;

/**
 * Makes the route store the source of truth: on start-up the store is loaded (seeded from
 * {@code meshgate.routes}/{@code meshgate.upstreams} on the first start) and its configuration,
 * with the read-only overlays (the demo), is what the gateway runs; afterwards the admin API
 * changes it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StoreProperties.class, MeshProperties.class })
public class AdminWiring {

	@Bean(destroyMethod = "close")
	RouteStore routeStore(StoreProperties properties, ObjectProvider<KubernetesClient> kubernetes) {
		if (properties.type().equals("kubernetes")) {
			KubernetesClient client = kubernetes.getIfAvailable();
			if (client == null) {
				throw new IllegalStateException("meshgate.store.type: kubernetes (expected: a Kubernetes client; run in a "
						+ "cluster or set spring.main.cloud-platform=kubernetes with a kubeconfig)");
			}
			String namespace = properties.namespace() != null ? properties.namespace() : client.getNamespace();
			return new KubernetesRouteStore(client, namespace, properties.configMap(), properties.historySize(),
					Clock.systemUTC());
		}
		return new FileRouteStore(properties.path(), properties.historySize(), Clock.systemUTC());
	}

	/** Named so that the readiness group's {@code routeStore} member finds it. */
	@Bean
	RouteStoreHealthIndicator routeStoreHealthIndicator(RouteStore store) {
		return new RouteStoreHealthIndicator(store);
	}

	@Bean
	AdminService adminService(RouteStore store, ObjectProvider<MeshRouting> routing, ObjectProvider<ConfigOverlay> demo,
			StoreProperties properties, MeshProperties mesh) {
		List<ConfigOverlay> overlays = new ArrayList<>();
		if (!properties.seed()) {
			overlays.add(new ConfigOverlay("application.yml", mesh.toConfig()));
		}
		demo.orderedStream().forEach(overlays::add);
		return new AdminService(store, routing::getObject, overlays);
	}

	/** What the gateway runs at start-up: the store's configuration and the overlays. */
	@Bean
	MeshConfig meshConfig(AdminService admin, StoreProperties properties, MeshProperties mesh) {
		return admin.start(properties.seed() ? mesh.toConfig() : MeshConfig.EMPTY);
	}

}
