package io.meshgate.policy.upstream;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import io.meshgate.policy.lb.EndpointPicker;

/**
 * A configured upstream while it serves traffic: its spec, the source of its endpoints and the
 * picker of its load-balancing policy. Exposed to Spring Cloud LoadBalancer as the upstream's
 * {@link ServiceInstanceListSupplier}.
 */
public final class UpstreamRuntime implements ServiceInstanceListSupplier, AutoCloseable {

	private final Upstream spec;

	private final EndpointSource source;

	private final EndpointPicker picker;

	UpstreamRuntime(Upstream spec, EndpointSource source, EndpointPicker picker) {
		this.spec = spec;
		this.source = source;
		this.picker = picker;
	}

	public Upstream spec() {
		return spec;
	}

	public String name() {
		return spec.name();
	}

	public EndpointPicker picker() {
		return picker;
	}

	/** The endpoints that may receive traffic now. */
	public List<UpstreamEndpoint> endpoints() {
		return source.endpoints();
	}

	@Override
	public String getServiceId() {
		return spec.name();
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public Flux<List<ServiceInstance>> get() {
		return Flux.just((List) source.endpoints());
	}

	@Override
	public void close() {
		source.close();
	}

	@Override
	public String toString() {
		return "Upstream " + spec.name() + " " + source.endpoints();
	}

}
