package io.meshgate.gateway.kubernetes.status;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Elects the one replica that does a job only one may do (write status, decide rollouts), with a
 * Kubernetes Lease (fabric8's LeaderElector). Every replica serves the same objects; only that job
 * waits for leadership. When the election ends (lost, or the API server unreachable) it starts
 * again after a retry period. A replica that closes releases the Lease, so another takes over
 * within the retry period; one that dies holding it is replaced once the Lease expires
 * ({@link LeaseTiming}).
 */
public final class Leadership implements AutoCloseable {

	private static final Log log = LogFactory.getLog(Leadership.class);

	private final KubernetesClient client;

	private final String namespace;

	private final String lease;

	private final String identity;

	private final String job;

	private final LeaseTiming timing;

	private final Runnable onLeading;

	private volatile boolean leader;

	private volatile boolean closed;

	private volatile CompletableFuture<?> election;

	/**
	 * @param job what the leader does, for the logs: "writes Kubernetes status"
	 * @param onLeading run when this replica becomes the leader (to write status at once)
	 */
	public Leadership(KubernetesClient client, String namespace, String lease, String identity, String job,
			LeaseTiming timing, Runnable onLeading) {
		this.client = client;
		this.namespace = namespace;
		this.lease = lease;
		this.identity = identity;
		this.job = job;
		this.timing = timing;
		this.onLeading = onLeading;
	}

	public synchronized void start() {
		if (closed) {
			return;
		}
		election = client.leaderElector()
			.withConfig(new LeaderElectionConfigBuilder().withName(lease)
				.withLock(new LeaseLock(namespace, lease, identity))
				.withLeaseDuration(timing.leaseDuration())
				.withRenewDeadline(timing.renewDeadline())
				.withRetryPeriod(timing.retryPeriod())
				.withReleaseOnCancel(true)
				.withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped,
						holder -> log.info("Leader of Lease " + namespace + "/" + lease + " (" + job + "): " + holder)))
				.build())
			.build()
			.start();
		election.whenComplete((result, error) -> {
			leader = false;
			if (!closed) {
				log.warn("Leader election for Lease " + namespace + "/" + lease + " ended"
						+ (error == null ? "" : ": " + error) + "; starting it again");
				CompletableFuture.delayedExecutor(timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS).execute(this::start);
			}
		});
	}

	public boolean leader() {
		return leader;
	}

	public String identity() {
		return identity;
	}

	private void started() {
		leader = true;
		log.info(identity + " " + job + " now (Lease " + namespace + "/" + lease + ")");
		onLeading.run();
	}

	private void stopped() {
		leader = false;
		log.info(identity + " no longer " + job + " (Lease " + namespace + "/" + lease + ")");
	}

	@Override
	public synchronized void close() {
		closed = true;
		leader = false;
		CompletableFuture<?> current = election;
		if (current != null) {
			current.cancel(true);
		}
	}

}
