package io.meshgate.policy.discovery;

import java.util.Map;
import java.util.regex.Pattern;

import io.meshgate.policy.schema.Example;

/**
 * Endpoints taken from a Kubernetes Service instead of a static list:
 * {@code discovery: {serviceId: orders, namespace: shop, port: http, subset: {version: v2}}}.
 *
 * @param serviceId the Service whose EndpointSlices are followed
 * @param namespace the Service's namespace; default: the gateway's own namespace
 * @param port the Service port, by name or number; default: the first port
 * @param subset pod labels that narrow the endpoints (Istio subsets); default: all pods
 */
public record KubernetesDiscovery(@Example("orders") String serviceId, String namespace, String port, Map<String, String> subset) {

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	public KubernetesDiscovery {
		if (serviceId == null || !DNS_LABEL.matcher(serviceId).matches()) {
			throw new IllegalArgumentException("discovery.serviceId: " + serviceId + " (expected: a Service name)");
		}
		if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
			throw new IllegalArgumentException("discovery.namespace: " + namespace + " (expected: a namespace name)");
		}
		if (port != null && port.isBlank()) {
			port = null;
		}
		subset = subset == null ? Map.of() : Map.copyOf(subset);
	}

	public static KubernetesDiscovery of(String serviceId) {
		return new KubernetesDiscovery(serviceId, null, null, null);
	}

}
