package io.meshgate.gateway.testing;

import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** A Service whose one ready pod is a server on loopback, with the EndpointSlice discovery reads. */
public final class ServicePods {

	private ServicePods() {
	}

	/**
	 * Creates or updates Service {@code namespace/name} with one port ({@code portName}, may be
	 * null; {@code port} targeting {@code podPort}) and its EndpointSlice {@code name-abcde} with
	 * the one ready endpoint {@code podHost:podPort}.
	 */
	public static void apply(KubernetesClient kube, String namespace, String name, String portName, int port,
			String podHost, int podPort, Map<String, String> annotations) {
		kube.resource(new ServiceBuilder().withNewMetadata()
			.withName(name)
			.withNamespace(namespace)
			.withAnnotations(annotations)
			.endMetadata()
			.withNewSpec()
			.addNewPort()
			.withName(portName)
			.withPort(port)
			.withNewTargetPort(podPort)
			.endPort()
			.endSpec()
			.build()).createOr(NonDeletingOperation::update);
		kube.resource(new EndpointSliceBuilder().withNewMetadata()
			.withName(name + "-abcde")
			.withNamespace(namespace)
			.withLabels(Map.of("kubernetes.io/service-name", name))
			.endMetadata()
			.withAddressType("IPv4")
			.addNewPort()
			.withName(portName)
			.withPort(podPort)
			.withProtocol("TCP")
			.endPort()
			.withEndpoints(new EndpointBuilder().withAddresses(podHost)
				.withNewConditions()
				.withReady(true)
				.endConditions()
				.withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(name + "-pod").withNamespace(namespace)
					.build())
				.build())
			.build()).createOr(NonDeletingOperation::update);
	}

}
