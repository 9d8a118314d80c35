package io.meshgate.policy.upstream.call;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.meshgate.policy.upstream.UpstreamRegistry;

/**
 * Default configuration of every Spring Cloud LoadBalancer client context (one per service id):
 * replaces the stock round robin with {@link MeshLoadBalancer}, which keeps the stock one for
 * service ids that are not Meshgate upstreams.
 */
@Configuration(proxyBeanMethods = false)
public class MeshLoadBalancerConfiguration {

	@Bean
	ReactorLoadBalancer<ServiceInstance> meshLoadBalancer(Environment environment,
			LoadBalancerClientFactory clientFactory, ObjectProvider<UpstreamRegistry> registry) {
		String name = LoadBalancerClientFactory.getName(environment);
		ObjectProvider<ServiceInstanceListSupplier> discovered = clientFactory.getLazyProvider(name,
				ServiceInstanceListSupplier.class);
		return new MeshLoadBalancer(name, registry.getObject(), new RoundRobinLoadBalancer(discovered, name));
	}

}
