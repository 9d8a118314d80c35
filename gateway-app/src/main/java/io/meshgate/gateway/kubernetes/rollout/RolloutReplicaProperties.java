package io.meshgate.gateway.kubernetes.rollout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code meshgate.rollout.*}: rollouts across the replicas of the {@code kubernetes} store
 * (docs/design/rollout-replicas.md).
 *
 * @param leaseName the Lease that elects the one replica deciding rollouts, in the store's
 * namespace; default {@code meshgate-rollout-decider}
 * @param publishInterval how often each replica publishes its step counters for the decider to
 * sum (only while a rollout runs, and only when they changed); default 1s, 100ms to 1m
 */
@ConfigurationProperties("meshgate.rollout")
public record RolloutReplicaProperties(String leaseName, Duration publishInterval) {

	public RolloutReplicaProperties {
		leaseName = leaseName == null || leaseName.isBlank() ? "meshgate-rollout-decider" : leaseName;
		publishInterval = publishInterval == null ? Duration.ofSeconds(1) : publishInterval;
		if (publishInterval.compareTo(Duration.ofMillis(100)) < 0 || publishInterval.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException("publishInterval: " + publishInterval + " (expected: 100ms to 1m)");
		}
	}

}
