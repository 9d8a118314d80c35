package io.meshgate.policy.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;

import io.meshgate.policy.upstream.EndpointSource;
import io.meshgate.policy.upstream.EndpointSourceFactory;
import io.meshgate.policy.upstream.Upstream;

/** Opens a {@link KubernetesEndpointSource} for each upstream that names a Kubernetes Service. */
public final class KubernetesEndpointSources implements EndpointSourceFactory {

	private final KubernetesClient client;

	public KubernetesEndpointSources(KubernetesClient client) {
		this.client = client;
	}

	@Override
	public EndpointSource open(Upstream upstream) {
		KubernetesDiscovery discovery = upstream.discovery();
		String namespace = discovery.namespace() != null ? discovery.namespace()
				: client.getNamespace() != null ? client.getNamespace() : "default";
		return KubernetesEndpointSource.start(client, upstream.name(), namespace, discovery, upstream.tls().enabled(),
				upstream.allowLinkLocal());
	}

}
