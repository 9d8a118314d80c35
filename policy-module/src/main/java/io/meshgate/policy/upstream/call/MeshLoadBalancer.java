package io.meshgate.policy.upstream.call;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;

import io.meshgate.policy.ExchangeAttributes;
import io.meshgate.policy.endpoint.UpstreamEndpoint;
import io.meshgate.policy.upstream.UpstreamRegistry;
import io.meshgate.policy.upstream.UpstreamRuntime;

/**
 * The Spring Cloud LoadBalancer for {@code lb://name} URIs. When {@code name} is a Meshgate
 * upstream it applies that upstream's current policy to its current endpoints (both may change
 * at runtime); any other service id goes to the load balancer Spring Cloud would have used.
 */
public final class MeshLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final String serviceId;

	private final UpstreamRegistry registry;

	private final ReactorServiceInstanceLoadBalancer otherServices;

	public MeshLoadBalancer(String serviceId, UpstreamRegistry registry,
			ReactorServiceInstanceLoadBalancer otherServices) {
		this.serviceId = serviceId;
		this.registry = registry;
		this.otherServices = otherServices;
	}

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public Mono<Response<ServiceInstance>> choose(Request request) {
		UpstreamRuntime upstream = registry.get(serviceId);
		if (upstream == null) {
			return otherServices.choose(request);
		}
		List<UpstreamEndpoint> endpoints = upstream.endpoints();
		if (endpoints.isEmpty()) {
			return Mono.just(new EmptyResponse());
		}
		RequestData data = request.getContext() instanceof RequestDataContext context ? context.getClientRequest()
				: null;
		Set<String> tried = data == null || data.getAttributes() == null ? null
				: (Set<String>) data.getAttributes().get(ExchangeAttributes.TRIED_ENDPOINTS);
		return Mono.just(new DefaultResponse(upstream.choose(endpoints, data, tried)));
	}

}
