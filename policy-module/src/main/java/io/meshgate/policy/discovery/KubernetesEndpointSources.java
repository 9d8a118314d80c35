package io.meshgate.policy.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;

import io.meshgate.policy.endpoint.EndpointSource;

/** Opens a {@link KubernetesEndpointSource} for each upstream that names a Kubernetes Service. */
public final class KubernetesEndpointSources implements EndpointSourceFactory {

	private final KubernetesClient client;

	public KubernetesEndpointSources(KubernetesClient client) {
		this.client = client;
	}

	@Override
	public EndpointSource open(String upstream, KubernetesDiscovery discovery, String scheme, boolean allowLinkLocal) {
		String namespace = discovery.namespace() != null ? discovery.namespace()
				: client.getNamespace() != null ? client.getNamespace() : "default";
		return KubernetesEndpointSource.start(client, upstream, namespace, discovery, scheme, allowLinkLocal);
	}

}
