package io.meshgate.gateway.kubernetes.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.policy.rollout.BackendWindow;
import io.meshgate.policy.rollout.DeciderElection;
import io.meshgate.policy.rollout.ReplicaCounters;
import io.meshgate.policy.rollout.Rollouts;
import io.meshgate.policy.rollout.StepNumbers;

/**
 * A rollout step's counters summed over every replica, through the API server: each replica
 * publishes its own counters of the running steps into a ConfigMap of its own
 * ({@code meshgate-routes-counters-REPLICA}, labelled {@code meshgate.io/rollout-counters-of:
 * meshgate-routes}) every {@code publishInterval} when they changed, and watches the others'.
 * {@link #numbers} adds this replica's live counters to every other ConfigMap's counters of the
 * same step: bucket by bucket, so the sum is exact up to what each replica counted since its last
 * publication. A replica that stopped (crashed, restarted, scaled away) keeps counting through
 * the ConfigMap it left, until its steps are over; then the decider deletes it.
 * docs/design/rollout-replicas.md says why the store and not the replicas' admin endpoints.
 * Only the rollouts of the routes every replica shares count this way ({@code shared}: all with the
 * kubernetes store; those of HTTPRoutes with the file store, whose own routes are each replica's);
 * the others are this replica's own counters.
 *
 * <p>Publishing and deleting block on the API server: they run on a thread of their own.
 */
public final class PublishedCounters implements ReplicaCounters, AutoCloseable {

	private static final Log log = LogFactory.getLog(PublishedCounters.class);

	/** Names the store whose replicas publish into the ConfigMap. */
	public static final String LABEL = "meshgate.io/rollout-counters-of";

	public static final String DATA_KEY = "counters.json";

	private final KubernetesClient client;

	private final String namespace;

	private final String store;

	private final String ownName;

	private final Rollouts local;

	private final DeciderElection election;

	private final Duration interval;

	private final Predicate<String> shared;

	/** Every replica's published steps (this one's included), by ConfigMap name, as last seen. */
	private final ConcurrentMap<String, PublishedSteps> published = new ConcurrentHashMap<>();

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread publisher = new Thread(runnable, "meshgate-rollout-counters");
		publisher.setDaemon(true);
		return publisher;
	});

	/** The JSON last written; only the publishing thread uses it. */
	private String written;

	private SharedIndexInformer<ConfigMap> informer;

	/**
	 * @param store the name of the ConfigMap holding the shared rollouts: names and labels the counters' ConfigMaps
	 * @param replica this replica's name
	 * @param election whether this replica decides the shared rollouts (and so deletes what counts no more)
	 * @param shared the ids of the routes whose rollouts every replica shares
	 */
	public PublishedCounters(KubernetesClient client, String namespace, String store, String replica, Rollouts local,
			DeciderElection election, Duration interval, Predicate<String> shared) {
		this.client = client;
		this.namespace = namespace;
		this.store = store;
		this.ownName = store + "-counters-" + replica;
		this.local = local;
		this.election = election;
		this.interval = interval;
		this.shared = shared;
	}

	/** Watches the other replicas' counters and publishes this one's from now on. */
	public synchronized PublishedCounters start() {
		informer = client.configMaps().inNamespace(namespace).withLabel(LABEL, store).inform(new ResourceEventHandler<>() {

			@Override
			public void onAdd(ConfigMap configMap) {
				read(configMap);
			}

			@Override
			public void onUpdate(ConfigMap before, ConfigMap after) {
				read(after);
			}

			@Override
			public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
				published.remove(configMap.getMetadata().getName());
			}

		});
		thread.scheduleWithFixedDelay(this::publishSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
		return this;
	}

	private void read(ConfigMap configMap) {
		String name = configMap.getMetadata().getName();
		String json = configMap.getData() == null ? null : configMap.getData().get(DATA_KEY);
		try {
			PublishedSteps steps = client.getKubernetesSerialization().unmarshal(json, PublishedSteps.class);
			// a window that does not add up is refused now rather than in the decider's sum
			steps.steps().values().forEach(step -> {
				step.canary().window();
				step.baseline().window();
			});
			published.put(name, steps);
		}
		catch (RuntimeException ex) {
			published.remove(name);
			log.warn("Rollout counters: ignoring ConfigMap " + namespace + "/" + name + ", which does not hold "
					+ "a replica's counters (" + ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public StepNumbers numbers(String route, String stepKey, Duration elapsed) {
		StepNumbers own = local.numbers(route, stepKey, elapsed);
		if (!shared.test(route)) {
			return own;
		}
		BackendWindow canary = own.canary();
		BackendWindow baseline = own.baseline();
		// failures in a row on several replicas interleave unseen: the longest run is a lower bound
		long canaryFailuresInARow = own.consecutiveCanaryFailures();
		for (Map.Entry<String, PublishedSteps> replica : published.entrySet()) {
			PublishedSteps.Step step = replica.getValue().steps().get(route);
			if (replica.getKey().equals(ownName) || step == null || !step.key().equals(stepKey)) {
				continue;
			}
			canary = canary.plus(step.canary().window());
			baseline = baseline.plus(step.baseline().window());
			canaryFailuresInARow = Math.max(canaryFailuresInARow, step.canaryFailuresInARow());
		}
		return new StepNumbers(elapsed, canary, baseline, canaryFailuresInARow);
	}

	private void publishSafely() {
		try {
			Map<String, String> running = new HashMap<>(local.stepKeys());
			running.keySet().removeIf(shared.negate());
			publish(running);
			// a decider whose configuration has no shared rollout yet (just started) knows no running step
			if (election.isDecider() && local.anyOf(shared)) {
				deleteFinished(running);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Rollout counters: publishing to ConfigMap " + namespace + "/" + ownName + " failed; trying "
					+ "again in " + interval.toMillis() + " ms: " + ex.getMessage());
		}
	}

	/** Writes this replica's counters when they changed (or its ConfigMap went away). */
	private void publish(Map<String, String> running) {
		if (running.isEmpty() && written == null) {
			return;
		}
		Map<String, PublishedSteps.Step> steps = new TreeMap<>();
		running.forEach((route, key) -> steps.put(route, PublishedSteps.Step.of(key, local.numbers(route, key, Duration.ZERO))));
		String json = client.getKubernetesSerialization().asJson(new PublishedSteps(steps));
		if (json.equals(written) && published.containsKey(ownName)) {
			return;
		}
		ConfigMap configMap = new ConfigMapBuilder().withNewMetadata()
			.withName(ownName)
			.withNamespace(namespace)
			.addToLabels(LABEL, store)
			.addToLabels("app.kubernetes.io/managed-by", "meshgate")
			.endMetadata()
			.addToData(DATA_KEY, json)
			.build();
		client.resource(configMap).createOr(NonDeletingOperation::update);
		written = json;
	}

	/**
	 * The decider deletes the ConfigMaps that count no running step: those of replicas gone since
	 * their steps ended. A live replica's comes back at its next publication with a running step.
	 */
	private void deleteFinished(Map<String, String> running) {
		for (Map.Entry<String, PublishedSteps> replica : published.entrySet()) {
			boolean counts = replica.getValue().steps().entrySet().stream()
				.anyMatch(step -> step.getValue().key().equals(running.get(step.getKey())));
			if (!counts && !replica.getKey().equals(ownName)) {
				client.configMaps().inNamespace(namespace).withName(replica.getKey()).delete();
				published.remove(replica.getKey());
			}
		}
	}

	@Override
	public synchronized void close() {
		thread.shutdownNow();
		if (informer != null) {
			informer.close();
			informer = null;
		}
	}

}
