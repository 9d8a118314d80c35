package io.meshgate.gateway.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * The objects a translation reads, as the informers saw them at one moment, plus the data of the
 * ConfigMaps and Secrets they reference (read on demand, keyed {@code ConfigMap ns/name} and
 * {@code Secret ns/name}, Secret values decoded). Translations are pure functions of it.
 *
 * @param namespaces the cluster's Namespaces, for the labels {@code allowedRoutes} selects on
 * @param grpcRoutes the GRPCRoutes ({@code v1})
 * @param tlsRoutes the TLSRoutes ({@code v1alpha2})
 * @param tcpRoutes the TCPRoutes ({@code v1alpha2})
 */
public record ClusterSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways, List<HTTPRoute> httpRoutes,
		List<BackendTlsPolicy> backendTlsPolicies, List<Service> services, List<Ingress> ingresses,
		List<IngressClass> ingressClasses, ReferenceGrants referenceGrants, List<Namespace> namespaces,
		Map<ObjectKey, Map<String, String>> data, List<GRPCRoute> grpcRoutes, List<TLSRoute> tlsRoutes,
		List<TCPRoute> tcpRoutes) {

	public static final ClusterSnapshot EMPTY = new ClusterSnapshot(null, null, null, null, null, null, null, null);

	/** Without ReferenceGrants and Namespaces: no cross-namespace reference is permitted, no namespace selected. */
	public ClusterSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways, List<HTTPRoute> httpRoutes,
			List<BackendTlsPolicy> backendTlsPolicies, List<Service> services, List<Ingress> ingresses,
			List<IngressClass> ingressClasses, Map<ObjectKey, Map<String, String>> data) {
		this(gatewayClasses, gateways, httpRoutes, backendTlsPolicies, services, ingresses, ingressClasses, null, null,
				data);
	}

	/** Without GRPCRoutes, TLSRoutes and TCPRoutes. */
	public ClusterSnapshot(List<GatewayClass> gatewayClasses, List<Gateway> gateways, List<HTTPRoute> httpRoutes,
			List<BackendTlsPolicy> backendTlsPolicies, List<Service> services, List<Ingress> ingresses,
			List<IngressClass> ingressClasses, ReferenceGrants referenceGrants, List<Namespace> namespaces,
			Map<ObjectKey, Map<String, String>> data) {
		this(gatewayClasses, gateways, httpRoutes, backendTlsPolicies, services, ingresses, ingressClasses,
				referenceGrants, namespaces, data, null, null, null);
	}

	public ClusterSnapshot {
		gatewayClasses = copy(gatewayClasses);
		gateways = copy(gateways);
		httpRoutes = copy(httpRoutes);
		backendTlsPolicies = copy(backendTlsPolicies);
		services = copy(services);
		ingresses = copy(ingresses);
		ingressClasses = copy(ingressClasses);
		referenceGrants = referenceGrants == null ? ReferenceGrants.NONE : referenceGrants;
		namespaces = copy(namespaces);
		data = data == null ? Map.of() : Map.copyOf(data);
		grpcRoutes = copy(grpcRoutes);
		tlsRoutes = copy(tlsRoutes);
		tcpRoutes = copy(tcpRoutes);
	}

	public Optional<Service> service(String namespace, String name) {
		return find(services, namespace, name);
	}

	public Optional<Gateway> gateway(String namespace, String name) {
		return find(gateways, namespace, name);
	}

	/** The labels of a namespace; empty when the Namespace is not known. */
	public Map<String, String> namespaceLabels(String name) {
		return namespaces.stream()
			.filter(n -> name.equals(n.getMetadata().getName()))
			.findFirst()
			.map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels())
			.orElse(Map.of());
	}

	/** The data of {@code ConfigMap ns/name} or {@code Secret ns/name}; empty when it does not exist. */
	public Optional<Map<String, String>> data(String kind, String namespace, String name) {
		return Optional.ofNullable(data.get(new ObjectKey(kind, namespace, name)));
	}

	public ClusterSnapshot withData(Map<ObjectKey, Map<String, String>> data) {
		return new ClusterSnapshot(gatewayClasses, gateways, httpRoutes, backendTlsPolicies, services, ingresses,
				ingressClasses, referenceGrants, namespaces, data, grpcRoutes, tlsRoutes, tcpRoutes);
	}

	public ClusterSnapshot withGrpcRoutes(List<GRPCRoute> grpcRoutes) {
		return new ClusterSnapshot(gatewayClasses, gateways, httpRoutes, backendTlsPolicies, services, ingresses,
				ingressClasses, referenceGrants, namespaces, data, grpcRoutes, tlsRoutes, tcpRoutes);
	}

	public ClusterSnapshot withL4Routes(List<TLSRoute> tlsRoutes, List<TCPRoute> tcpRoutes) {
		return new ClusterSnapshot(gatewayClasses, gateways, httpRoutes, backendTlsPolicies, services, ingresses,
				ingressClasses, referenceGrants, namespaces, data, grpcRoutes, tlsRoutes, tcpRoutes);
	}

	private static <T extends HasMetadata> Optional<T> find(List<T> objects, String namespace, String name) {
		return objects.stream()
			.filter(o -> name.equals(o.getMetadata().getName()) && namespace.equals(o.getMetadata().getNamespace()))
			.findFirst();
	}

	private static <T> List<T> copy(List<T> list) {
		return list == null ? List.of() : List.copyOf(list);
	}

}
