package io.meshgate.gateway.kubernetes.rollout;

import java.util.function.Predicate;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.meshgate.gateway.admin.StoreProperties;
import io.meshgate.gateway.kubernetes.KubernetesIngressConfiguration;
import io.meshgate.gateway.kubernetes.status.Leadership;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;

/**
 * Rollouts that several replicas share: one decider elected with a Lease, and the counters of
 * every replica summed through ConfigMaps ({@link PublishedCounters}). In place of the one
 * instance's beans of {@link io.meshgate.gateway.rollout.RolloutWiring}, which imports this first.
 * Which rollouts are shared:
 * <ul>
 * <li>with the {@code kubernetes} store, every one: the stored routes are the replicas' common
 * ConfigMap, and the Lease and the counters live in the store's namespace;</li>
 * <li>with the {@code file} store and the ingress controller on, those declared on HTTPRoutes:
 * every replica serves the same HTTPRoutes and their state in {@code meshgate-rollouts}, so one
 * replica decides them on every replica's counters (the Lease and the counters in the
 * controller's namespace), while each replica's stored routes stay its own, decided by itself on
 * its own counters.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@Conditional(KubernetesRolloutWiring.SharedRollouts.class)
@EnableConfigurationProperties(RolloutReplicaProperties.class)
public class KubernetesRolloutWiring {

	/** The kubernetes store, or the ingress controller (whose HTTPRoutes every replica serves). */
	static final class SharedRollouts extends AnyNestedCondition {

		SharedRollouts() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = "meshgate.store.type", havingValue = "kubernetes")
		static final class KubernetesStore {

		}

		@ConditionalOnProperty(name = "meshgate.kubernetes.ingress.enabled", havingValue = "true")
		static final class IngressController {

		}

	}

	@Bean
	ReplicaId rolloutReplicaId() {
		return ReplicaId.create();
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	Leadership rolloutDeciderLease(ObjectProvider<KubernetesClient> kubernetes, StoreProperties store,
			ObjectProvider<HttpRouteRollouts> httpRoutes, RolloutReplicaProperties properties, ReplicaId replica) {
		KubernetesClient client = KubernetesIngressConfiguration.client(kubernetes);
		return new Leadership(client, namespace(client, store, httpRoutes), properties.leaseName(), replica.value(),
				"decides rollouts", properties.leaseTiming(), () -> {
				});
	}

	/** Whether this replica decides the shared rollouts. */
	@Bean
	DeciderElection deciderElection(Leadership rolloutDeciderLease) {
		return rolloutDeciderLease::leader;
	}

	@Bean(destroyMethod = "close")
	ReplicaCounters replicaCounters(ObjectProvider<KubernetesClient> kubernetes, StoreProperties store,
			ObjectProvider<HttpRouteRollouts> httpRoutes, RolloutReplicaProperties properties, ReplicaId replica,
			Rollouts rollouts, DeciderElection election) {
		KubernetesClient client = KubernetesIngressConfiguration.client(kubernetes);
		boolean kubernetesStore = sharesStoredRoutes(store);
		String sharedIn = kubernetesStore ? store.configMap() : HttpRouteRollouts.CONFIG_MAP;
		Predicate<String> shared = kubernetesStore ? id -> true : HttpRouteRollouts::holds;
		return new PublishedCounters(client, namespace(client, store, httpRoutes), sharedIn, replica.value(), rollouts,
				election, properties.publishInterval(), shared).start();
	}

	/** Whether the replicas share the stored routes (the kubernetes store), not only the HTTPRoutes. */
	public static boolean sharesStoredRoutes(StoreProperties store) {
		return store.type().equals("kubernetes");
	}

	/** The store's namespace with the kubernetes store, as its wiring finds it; else the ingress controller's. */
	private static String namespace(KubernetesClient client, StoreProperties store,
			ObjectProvider<HttpRouteRollouts> httpRoutes) {
		if (!sharesStoredRoutes(store)) {
			return httpRoutes.getObject().namespace();
		}
		return store.namespace() != null ? store.namespace() : client.getNamespace();
	}

}
