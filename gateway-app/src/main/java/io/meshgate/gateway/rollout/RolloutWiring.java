package io.meshgate.gateway.rollout;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.meshgate.admin.api.AdminService;
import io.meshgate.admin.rollout.RolloutActions;
import io.meshgate.admin.rollout.ReadOnlyRollouts;
import io.meshgate.admin.rollout.RolloutDecider;
import io.meshgate.gateway.admin.StoreProperties;
import io.meshgate.gateway.kubernetes.rollout.KubernetesRolloutWiring;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;

/**
 * Rollouts on one instance: this instance decides ({@link DeciderElection#ALWAYS}) on its own
 * counters ({@link Rollouts}). With the {@code kubernetes} store or the ingress controller (whose
 * HTTPRoute rollouts every replica shares), {@link KubernetesRolloutWiring} (imported first, so that
 * its beans are there when the defaults are considered) puts an election with a Lease and the sum
 * of every replica's counters in their place, for the rollouts the replicas share.
 */
@Configuration(proxyBeanMethods = false)
@Import(KubernetesRolloutWiring.class)
public class RolloutWiring {

	/** The time rollout steps are measured in; tests put a clock of their own in its place. */
	@Bean
	@ConditionalOnMissingBean
	Clock meshgateClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	DeciderElection deciderElection() {
		return DeciderElection.ALWAYS;
	}

	@Bean
	@ConditionalOnMissingBean
	ReplicaCounters replicaCounters(Rollouts rollouts) {
		return rollouts::numbers;
	}

	@Bean
	RolloutActions rolloutActions(AdminService admin, ReplicaCounters counters, ObjectProvider<ReadOnlyRollouts> readOnly,
			Clock clock) {
		return new RolloutActions(admin, counters, readOnly.getIfAvailable(() -> ReadOnlyRollouts.NONE), clock);
	}

	/**
	 * The election decides the shared rollouts: HTTPRoutes', and the stored routes' with the
	 * kubernetes store. The file store's routes are this instance's own, so it decides them itself.
	 */
	@Bean(destroyMethod = "close")
	RolloutDecider rolloutDecider(AdminService admin, ReplicaCounters counters, DeciderElection election,
			StoreProperties store, ObjectProvider<ReadOnlyRollouts> readOnly, Clock clock) {
		DeciderElection storedRoutes = KubernetesRolloutWiring.sharesStoredRoutes(store) ? election
				: DeciderElection.ALWAYS;
		return new RolloutDecider(admin, counters, storedRoutes, election,
				readOnly.getIfAvailable(() -> ReadOnlyRollouts.NONE), clock)
			.start();
	}

}
