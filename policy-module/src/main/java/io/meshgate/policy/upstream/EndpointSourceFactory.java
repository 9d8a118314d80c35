package io.meshgate.policy.upstream;

/**
 * Opens the endpoint source of an upstream that uses discovery. Implemented by
 * {@code io.meshgate.policy.discovery.KubernetesEndpointSources} when Kubernetes is available.
 */
@FunctionalInterface
public interface EndpointSourceFactory {

	EndpointSource open(Upstream upstream);

}
