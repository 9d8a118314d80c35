package io.meshgate.gateway.kubernetes.rollout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.meshgate.gateway.kubernetes.status.LeaseTiming;

/**
 * {@code meshgate.rollout.*}: rollouts across replicas, with the {@code kubernetes} store or the
 * ingress controller's HTTPRoute rollouts (docs/design/rollout-replicas.md).
 *
 * @param leaseName the Lease that elects the one replica deciding the shared rollouts; default
 * {@code meshgate-rollout-decider}
 * @param publishInterval how often each replica publishes its step counters for the decider to
 * sum (only while a rollout runs, and only when they changed); default 1s, 100ms to 1m
 * @param leaseDuration how long the Lease outlives its holder's last renewal: a decider that dies
 * holding it is replaced this long after; default 15s ({@link LeaseTiming})
 * @param renewDeadline how long the decider tries to renew before it stops deciding; default 10s
 * @param retryPeriod how often a replica tries to take or renew the Lease; default 2s
 */
@ConfigurationProperties("meshgate.rollout")
public record RolloutReplicaProperties(String leaseName, Duration publishInterval, Duration leaseDuration,
		Duration renewDeadline, Duration retryPeriod) {

	public RolloutReplicaProperties {
		leaseName = leaseName == null || leaseName.isBlank() ? "meshgate-rollout-decider" : leaseName;
		publishInterval = publishInterval == null ? Duration.ofSeconds(1) : publishInterval;
		if (publishInterval.compareTo(Duration.ofMillis(100)) < 0 || publishInterval.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException("publishInterval: " + publishInterval + " (expected: 100ms to 1m)");
		}
		LeaseTiming timing = new LeaseTiming(leaseDuration, renewDeadline, retryPeriod);
		leaseDuration = timing.leaseDuration();
		renewDeadline = timing.renewDeadline();
		retryPeriod = timing.retryPeriod();
	}

	public LeaseTiming leaseTiming() {
		return new LeaseTiming(leaseDuration, renewDeadline, retryPeriod);
	}

}
