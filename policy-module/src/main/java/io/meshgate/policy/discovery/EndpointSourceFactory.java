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
	 * @param scheme the scheme of its endpoints' URIs: {@code tcp} for a TCP upstream (the relay
	 * uses host and port only), {@code https} for one with a TLS policy, {@code http} otherwise
	 * (then a Service port named or with appProtocol {@code https} gives https)
	 * @param allowLinkLocal the upstream allows link-local and metadata addresses
	 */
	EndpointSource open(String upstream, KubernetesDiscovery discovery, String scheme, boolean allowLinkLocal);

}
