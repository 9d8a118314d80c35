package io.meshgate.gateway.kubernetes;

import java.time.Clock;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshgate.admin.api.AdminService;
import io.meshgate.gateway.admin.StoreProperties;
import io.meshgate.gateway.https.HttpsCertificates;
import io.meshgate.gateway.kubernetes.rollout.HttpRouteRollouts;
import io.meshgate.gateway.listeners.ListenerProperties;
import io.meshgate.policy.edge.IngressProperties;
import io.meshgate.policy.upstream.GatewayPorts;

/** The Kubernetes ingress controller, on with {@code meshgate.kubernetes.ingress.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "meshgate.kubernetes.ingress.enabled", havingValue = "true")
@EnableConfigurationProperties(IngressControllerProperties.class)
public class KubernetesIngressConfiguration {

	@Bean
	IngressController ingressController(ObjectProvider<KubernetesClient> kubernetes, AdminService admin,
			ObjectProvider<HttpsCertificates> certificates, IngressControllerProperties properties,
			ListenerProperties listeners, IngressProperties ingress, HttpRouteRollouts httpRouteRollouts,
			GatewayPorts gatewayPorts) {
		return new IngressController(client(kubernetes), admin, certificates.getIfAvailable(), properties,
				listeners.served().withLocal(gatewayPorts.serverPorts()).withCleartextHttp2(ingress.h2cPriorKnowledge()),
				httpRouteRollouts, Clock.systemUTC());
	}

	/** The state of HTTPRoute rollouts, in the controller's namespace; the rollout decider moves them. */
	@Bean
	HttpRouteRollouts httpRouteRollouts(ObjectProvider<KubernetesClient> kubernetes, IngressControllerProperties properties,
			StoreProperties store) {
		KubernetesClient client = client(kubernetes);
		String namespace = properties.leaseNamespace() != null ? properties.leaseNamespace()
				: client.getNamespace() != null ? client.getNamespace() : "default";
		return new HttpRouteRollouts(client, namespace, store.historySize(), Clock.systemUTC());
	}

	/** The Kubernetes client, or a start that fails saying how to get one. */
	public static KubernetesClient client(ObjectProvider<KubernetesClient> kubernetes) {
		KubernetesClient client = kubernetes.getIfAvailable();
		if (client == null) {
			throw new IllegalStateException("meshgate.kubernetes.ingress.enabled: true (expected: a Kubernetes client; run "
					+ "in a cluster or set spring.main.cloud-platform=kubernetes with a kubeconfig)");
		}
		return client;
	}

}
