package io.meshgate.policy.discovery;

import io.meshgate.policy.endpoint.EndpointSource;

/**
 * Opens the endpoint source of an upstream that uses discovery. Implemented by
 * {@link KubernetesEndpointSources} when Kubernetes is available.
 */
@FunctionalInterface
public interface EndpointSourceFactory {

	/**
	 * @param upstream the upstream's name
	 * @param discovery its {@code discovery} block
	 * @param tls the upstream has a TLS policy: its endpoints are called with https
	 * @param allowLinkLocal the upstream allows link-local and metadata addresses
	 */
	EndpointSource open(String upstream, KubernetesDiscovery discovery, boolean tls, boolean allowLinkLocal);

}
