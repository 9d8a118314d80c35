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
import io.meshgate.gateway.kubernetes.rollout.KubernetesRolloutWiring;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;

/**
 * Rollouts on one instance: this instance decides ({@link DeciderElection#ALWAYS}) on its own
 * counters ({@link Rollouts}). With the {@code kubernetes} store, {@link KubernetesRolloutWiring}
 * (imported first, so that its beans are there when the defaults are considered) puts an election
 * with a Lease and the sum of every replica's counters in their place.
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

	@Bean(destroyMethod = "close")
	RolloutDecider rolloutDecider(AdminService admin, ReplicaCounters counters, DeciderElection election,
			ObjectProvider<ReadOnlyRollouts> readOnly, Clock clock) {
		return new RolloutDecider(admin, counters, election, readOnly.getIfAvailable(() -> ReadOnlyRollouts.NONE), clock)
			.start();
	}

}
