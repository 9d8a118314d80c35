package io.meshgate.gateway.kubernetes.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.meshgate.gateway.admin.StoreProperties;
import io.meshgate.gateway.kubernetes.status.Leadership;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;

/**
 * Rollouts across the replicas of the {@code kubernetes} store: one decider elected with a Lease,
 * and the counters of every replica summed through ConfigMaps ({@link PublishedCounters}). In
 * place of the one instance's beans of {@link io.meshgate.gateway.rollout.RolloutWiring}, which
 * imports this first.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "meshgate.store.type", havingValue = "kubernetes")
@EnableConfigurationProperties(RolloutReplicaProperties.class)
public class KubernetesRolloutWiring {

	@Bean
	ReplicaId rolloutReplicaId() {
		return ReplicaId.create();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	Leadership rolloutDeciderLease(KubernetesClient client, StoreProperties store, RolloutReplicaProperties properties,
			ReplicaId replica) {
		return new Leadership(client, namespace(client, store), properties.leaseName(), replica.value(),
				"decides rollouts", () -> {
				});
	}

	@Bean
	DeciderElection deciderElection(Leadership rolloutDeciderLease) {
		return rolloutDeciderLease::leader;
	}

	@Bean(destroyMethod = "close")
	ReplicaCounters replicaCounters(KubernetesClient client, StoreProperties store, RolloutReplicaProperties properties,
			ReplicaId replica, Rollouts rollouts, DeciderElection election) {
		return new PublishedCounters(client, namespace(client, store), store.configMap(), replica.value(), rollouts,
				election, properties.publishInterval()).start();
	}

	/** The store's namespace, as the store's wiring finds it. */
	private static String namespace(KubernetesClient client, StoreProperties store) {
		return store.namespace() != null ? store.namespace() : client.getNamespace();
	}

}
