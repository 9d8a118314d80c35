package io.meshgate.gateway.kubernetes;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

import static io.meshgate.gateway.kubernetes.GenericFields.map;
import static io.meshgate.gateway.kubernetes.GenericFields.text;

/**
 * The client certificate Gateways present to their backends: {@code Gateway.spec.tls.backend.clientCertificateRef}
 * (Gateway API v1.4, experimental channel; read generically, fabric8's model predates it), a core
 * Secret with {@code tls.crt} and {@code tls.key}, in the Gateway's namespace or in another one
 * whose ReferenceGrant permits Gateways of the Gateway's namespace. It is presented to a backend
 * that a BackendTLSPolicy gives TLS (the certificate does not turn TLS on) and that an HTTPRoute
 * naming the Gateway as parent sends to. Upstreams are per Service port, not per Gateway: when
 * Gateways with different certificates reach one Service, the first Gateway by namespace and name
 * gives it.
 */
public final class BackendClientCertificates {

	private BackendClientCertificates() {
	}

	/** The Secret a Gateway names, permitted by ReferenceGrants; null when none, another kind, or not permitted. */
	public static ObjectKey secret(Gateway gateway, ClusterSnapshot cluster) {
		if (gateway.getSpec() == null) {
			return null;
		}
		Map<?, ?> ref = map(map(map(gateway.getSpec().getAdditionalProperties().get("tls")).get("backend"))
			.get("clientCertificateRef"));
		String name = text(ref, "name");
		String group = text(ref, "group");
		String kind = text(ref, "kind");
		if (name == null || group != null && !group.isEmpty() || kind != null && !"Secret".equals(kind)) {
			return null;
		}
		String from = gateway.getMetadata().getNamespace();
		String namespace = text(ref, "namespace") == null ? from : text(ref, "namespace");
		ObjectKey secret = new ObjectKey("Secret", namespace, name);
		return cluster.referenceGrants().permits("Gateway", from, secret) ? secret : null;
	}

	/** The client certificate Secret per Service ({@code namespace/name}) of Meshgate's Gateways' routes. */
	static Map<String, ObjectKey> of(ClusterSnapshot cluster, String controllerName) {
		Set<String> classes = cluster.gatewayClasses()
			.stream()
			.filter(c -> c.getSpec() != null && controllerName.equals(c.getSpec().getControllerName()))
			.map(c -> c.getMetadata().getName())
			.collect(Collectors.toSet());
		List<Gateway> gateways = cluster.gateways()
			.stream()
			.filter(g -> g.getSpec() != null && classes.contains(g.getSpec().getGatewayClassName()))
			.sorted(Comparator.comparing(ObjectKey::of))
			.toList();
		Map<String, ObjectKey> secrets = new LinkedHashMap<>();
		for (Gateway gateway : gateways) {
			ObjectKey secret = secret(gateway, cluster);
			if (secret == null) {
				continue;
			}
			for (HTTPRoute route : cluster.httpRoutes()) {
				if (names(route, gateway)) {
					for (HTTPRouteRule rule : route.getSpec().getRules() == null ? List.<HTTPRouteRule>of()
							: route.getSpec().getRules()) {
						for (HTTPBackendRef ref : rule.getBackendRefs() == null ? List.<HTTPBackendRef>of()
								: rule.getBackendRefs()) {
							String namespace = ref.getNamespace() == null ? route.getMetadata().getNamespace()
									: ref.getNamespace();
							secrets.putIfAbsent(namespace + "/" + ref.getName(), secret);
						}
					}
				}
			}
		}
		return secrets;
	}

	private static boolean names(HTTPRoute route, Gateway gateway) {
		List<ParentReference> parents = route.getSpec() == null || route.getSpec().getParentRefs() == null ? List.of()
				: route.getSpec().getParentRefs();
		return parents.stream().anyMatch(parent -> gateway.getMetadata().getName().equals(parent.getName())
				&& gateway.getMetadata().getNamespace().equals(parent.getNamespace() == null
						? route.getMetadata().getNamespace() : parent.getNamespace()));
	}

}
