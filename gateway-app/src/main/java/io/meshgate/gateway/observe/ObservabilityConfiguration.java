package io.meshgate.gateway.observe;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.policy.observe.RouteTrafficWindows;
import io.meshgate.policy.observe.UpstreamStateContributor;
import io.meshgate.policy.route.MeshRouting;
import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * The admin port's view of the mesh: the {@code mesh} actuator endpoint and the {@code routing}
 * and {@code upstreams} health contributors. Upstream policies show their state here by declaring
 * {@link UpstreamStateContributor} beans.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	@Bean
	MeshView meshView(MeterRegistry meters, RouteTrafficWindows windows,
			ObjectProvider<UpstreamStateContributor> contributors) {
		return new MeshView(meters, windows, contributors.orderedStream().toList());
	}

	@Bean
	MeshEndpoint meshEndpoint(MeshRouting routing, UpstreamRegistry upstreams, MeshView view,
			HttpsCertificates certificates) {
		return new MeshEndpoint(routing, upstreams, view, certificates);
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
