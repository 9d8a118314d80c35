package io.meshgate.policy.discovery;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.policy.endpoint.EndpointAddresses;
import io.meshgate.policy.endpoint.EndpointSource;
import io.meshgate.policy.endpoint.UpstreamEndpoint;

/**
 * The endpoints of a Kubernetes Service, followed with informers (a watch plus a local cache):
 * the Service's EndpointSlices, and when a {@code subset} is given the pods carrying its labels.
 * The request path only reads the last computed list; every change of a slice or pod recomputes
 * it on the informer's thread. This is push-based like Envoy's EDS, where Spring Cloud
 * Kubernetes' discovery client lists endpoints from the API server on every call.
 *
 * <p>Only ready endpoints are served. Informers start without blocking and retry on their own,
 * so an unreachable API server leaves the upstream empty (503) instead of failing the gateway.
 */
final class KubernetesEndpointSource implements EndpointSource {

	private static final Log log = LogFactory.getLog(KubernetesEndpointSource.class);

	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private final String upstream;

	private final String namespace;

	private final KubernetesDiscovery discovery;

	private SharedIndexInformer<EndpointSlice> slices;

	private SharedIndexInformer<Pod> pods;

	private volatile List<UpstreamEndpoint> endpoints = List.of();

	private final String scheme;

	private final boolean allowLinkLocal;

	private KubernetesEndpointSource(String upstream, String namespace, KubernetesDiscovery discovery, String scheme,
			boolean allowLinkLocal) {
		this.upstream = upstream;
		this.namespace = namespace;
		this.discovery = discovery;
		this.scheme = scheme;
		this.allowLinkLocal = allowLinkLocal;
	}

	/**
	 * @param scheme {@code tcp} for a TCP upstream; {@code https} for one with a TLS policy: connect
	 * with https whatever the port is called; {@code http}: https only where the port says https
	 * @param allowLinkLocal the upstream allows link-local and metadata addresses; otherwise
	 * EndpointSlice addresses among them are skipped, as a static endpoint would be refused
	 */
	static KubernetesEndpointSource start(KubernetesClient client, String upstream, String namespace,
			KubernetesDiscovery discovery, String scheme, boolean allowLinkLocal) {
		KubernetesEndpointSource source = new KubernetesEndpointSource(upstream, namespace, discovery, scheme,
				allowLinkLocal);
		ResourceEventHandler<HasMetadata> recompute = new ResourceEventHandler<>() {
			@Override
			public void onAdd(HasMetadata obj) {
				source.recompute();
			}

			@Override
			public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
				source.recompute();
			}

			@Override
			public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
				source.recompute();
			}
		};
		if (!discovery.subset().isEmpty()) {
			source.pods = client.pods().inNamespace(namespace).withLabels(discovery.subset()).runnableInformer(0);
			source.pods.addEventHandler(recompute);
		}
		source.slices = client.discovery()
			.v1()
			.endpointSlices()
			.inNamespace(namespace)
			.withLabel(SERVICE_NAME_LABEL, discovery.serviceId())
			.runnableInformer(0);
		source.slices.addEventHandler(recompute);
		if (source.pods != null) {
			source.pods.start().whenComplete((ok, error) -> source.started("pods", error));
		}
		source.slices.start().whenComplete((ok, error) -> source.started("endpointslices", error));
		return source;
	}

	private void started(String what, Throwable error) {
		if (error != null) {
			log.warn("Upstream " + upstream + ": cannot list " + what + " of Service " + namespace + "/"
					+ discovery.serviceId() + " yet, retrying: " + error.getMessage());
		}
		else {
			recompute();
		}
	}

	@Override
	public List<UpstreamEndpoint> endpoints() {
		return endpoints;
	}

	private synchronized void recompute() {
		Set<String> subsetPods = pods == null ? null
				: pods.getStore().list().stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
		Map<URI, Map<String, String>> found = new LinkedHashMap<>();
		List<EndpointSlice> current = new ArrayList<>(slices.getStore().list());
		current.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
		for (EndpointSlice slice : current) {
			EndpointPort port = matchingPort(slice);
			if (port == null) {
				continue;
			}
			boolean securePort = "https".equals(port.getName()) || "https".equals(port.getAppProtocol());
			String scheme = "http".equals(this.scheme) && securePort ? "https" : this.scheme;
			for (Endpoint endpoint : slice.getEndpoints()) {
				if (!ready(endpoint) || endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
					continue;
				}
				ObjectReference target = endpoint.getTargetRef();
				String pod = target != null && "Pod".equals(target.getKind()) ? target.getName() : null;
				if (subsetPods != null && (pod == null || !subsetPods.contains(pod))) {
					continue;
				}
				String address = endpoint.getAddresses().get(0);
				if (!allowLinkLocal && EndpointAddresses.linkLocalOrMetadata(address)) {
					log.warn("Upstream " + upstream + ": skipping endpoint " + address + " of Service " + namespace + "/"
							+ discovery.serviceId() + ": a link-local or metadata address (allowLinkLocal is false)");
					continue;
				}
				String host = address.contains(":") ? "[" + address + "]" : address;
				Map<String, String> metadata = new HashMap<>();
				if (pod != null) {
					metadata.put("pod", pod);
				}
				if (endpoint.getZone() != null) {
					metadata.put("zone", endpoint.getZone());
				}
				found.put(URI.create(scheme + "://" + host + ":" + port.getPort()), metadata);
			}
		}
		List<UpstreamEndpoint> previous = endpoints;
		List<UpstreamEndpoint> next = new ArrayList<>();
		found.forEach((uri, metadata) -> next.add(previous.stream()
			.filter(e -> e.getUri().equals(uri) && e.getMetadata().equals(metadata))
			.findFirst()
			.orElseGet(() -> new UpstreamEndpoint(upstream, uri, 1, metadata))));
		if (next.equals(previous)) {
			return;
		}
		endpoints = List.copyOf(next);
		log.info("Upstream " + upstream + " (Service " + namespace + "/" + discovery.serviceId() + "): "
				+ next.size() + " endpoints " + next.stream().map(UpstreamEndpoint::address).toList());
	}

	/** The slice's port named (or numbered) by {@code discovery.port}, or its first port. */
	private EndpointPort matchingPort(EndpointSlice slice) {
		if (slice.getPorts() == null) {
			return null;
		}
		String wanted = discovery.port();
		for (EndpointPort port : slice.getPorts()) {
			if (port.getPort() != null && (wanted == null || wanted.equals(port.getName())
					|| wanted.equals(String.valueOf(port.getPort())))) {
				return port;
			}
		}
		return null;
	}

	private static boolean ready(Endpoint endpoint) {
		// Kubernetes: a nil "ready" condition is to be read as ready.
		return endpoint.getConditions() == null || !Objects.equals(endpoint.getConditions().getReady(), false);
	}

	@Override
	public void close() {
		if (slices != null) {
			slices.close();
		}
		if (pods != null) {
			pods.close();
		}
	}

}
