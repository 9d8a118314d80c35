package io.meshgate.gateway.observe;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.api.ConfigOverlay;
import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.policy.l4.proxy.L4Proxy;
import io.meshgate.policy.mirror.MirrorComparisons;
import io.meshgate.policy.observe.RouteTrafficWindows;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.state.UpstreamStateContributor;

/**
 * The admin port's view of the mesh: the {@code mesh} actuator endpoint and the {@code routing}
 * and {@code upstreams} health contributors. Upstream policies show their state here by declaring
 * {@link UpstreamStateContributor} beans.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	/** {@code /actuator/gateway} with secrets masked; static: it changes bean definitions. */
	@Bean
	static BeanDefinitionRegistryPostProcessor maskedGatewayControllerEndpoint() {
		return MaskedGatewayControllerEndpoint.replacing();
	}

	@Bean
	MeshView meshView(MeterRegistry meters, RouteTrafficWindows windows,
			ObjectProvider<UpstreamStateContributor> contributors, MirrorComparisons comparisons,
			ReplicaCounters rollouts, Clock clock) {
		return new MeshView(meters, windows, contributors.orderedStream().toList(), comparisons, rollouts, clock);
	}

	@Bean
	MeshEndpoint meshEndpoint(MeshRouting routing, UpstreamRegistry upstreams, MeshView view,
			HttpsCertificates certificates, ObjectProvider<AdminService> admin, L4Proxy l4) {
		return new MeshEndpoint(routing, upstreams, view, certificates,
				(kind, id) -> owner(admin.getIfAvailable(), kind, id), l4);
	}

	/** The overlay source holding the route or upstream, else {@code admin} (the route store). */
	private static String owner(AdminService admin, String kind, String id) {
		if (admin != null) {
			for (ConfigOverlay overlay : admin.overlays()) {
				boolean found = kind.equals("routes") ? overlay.config().routes().stream().anyMatch(r -> r.id().equals(id))
						: overlay.config().upstreams().stream().anyMatch(u -> u.name().equals(id));
				if (found) {
					return overlay.source();
				}
			}
		}
		return "admin";
	}

	@Bean
	RoutingHealthIndicator routingHealthIndicator(MeshRouting routing) {
		return new RoutingHealthIndicator(routing);
	}

	@Bean
	UpstreamsHealthIndicator upstreamsHealthIndicator(UpstreamRegistry upstreams, MeshView view) {
		return new UpstreamsHealthIndicator(upstreams, view);
	}

}
