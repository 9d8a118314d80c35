package io.meshgate.admin.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The store for several replicas: a ConfigMap ({@code meshgate-routes}, key {@code config.yaml})
 * that every replica watches, so an edit through one replica's admin API is applied by all of
 * them. Writes replace the ConfigMap with the resource version they read: of two concurrent
 * writers the API server lets one through and answers 409 to the other, so no edit is lost.
 * History versions are ConfigMaps of their own ({@code meshgate-routes-v12}), the oldest deleted
 * beyond {@code historySize}, since one ConfigMap holds at most 1 MiB.
 */
public final class KubernetesRouteStore implements RouteStore {

	private static final Log log = LogFactory.getLog(KubernetesRouteStore.class);

	public static final String DATA_KEY = "config.yaml";

	public static final String VERSION_ANNOTATION = "meshgate.io/version";

	public static final String HISTORY_LABEL = "meshgate.io/history-of";

	private final KubernetesClient client;

	private final String namespace;

	private final String name;

	private final int historySize;

	private final Clock clock;

	private SharedIndexInformer<ConfigMap> informer;

	public KubernetesRouteStore(KubernetesClient client, String namespace, String name, int historySize, Clock clock) {
		this.client = client;
		this.namespace = namespace;
		this.name = name;
		this.historySize = historySize;
		this.clock = clock;
	}

	@Override
	public Optional<StoredConfig> current() {
		return Optional.ofNullable(get()).map(KubernetesRouteStore::parse);
	}

	private ConfigMap get() {
		return client.configMaps().inNamespace(namespace).withName(name).get();
	}

	@Override
	public StoredConfig write(long expectedVersion, Map<String, Object> config, String author, String summary) {
		ConfigMap existing = get();
		long current = existing == null ? 0 : parse(existing).version();
		if (current != expectedVersion) {
			throw new VersionConflictException(expectedVersion, current);
		}
		StoredConfig next = new StoredConfig(current + 1, config, author, clock.instant(), summary);
		ConfigMap updated = configMap(name, next, existing == null ? null : existing.getMetadata().getResourceVersion(),
				Map.of("app.kubernetes.io/managed-by", "meshgate"));
		try {
			if (existing == null) {
				client.resource(updated).create();
			}
			else {
				client.resource(updated).update();
			}
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() == 409) {
				ConfigMap now = get();
				throw new VersionConflictException(expectedVersion, now == null ? 0 : parse(now).version());
			}
			throw ex;
		}
		try {
			client.resource(configMap(historyName(next.version()), next, null, Map.of(HISTORY_LABEL, name)))
				.createOr(NonDeletingOperation::update);
			prune();
		}
		catch (KubernetesClientException ex) {
			log.warn("Version " + next.version() + " is stored, but its history entry could not be written: "
					+ ex.getMessage());
		}
		return next;
	}

	private ConfigMap configMap(String configMapName, StoredConfig stored, String resourceVersion,
			Map<String, String> labels) {
		return new ConfigMapBuilder().withNewMetadata()
			.withName(configMapName)
			.withNamespace(namespace)
			.withResourceVersion(resourceVersion)
			.withLabels(labels)
			.addToAnnotations(VERSION_ANNOTATION, String.valueOf(stored.version()))
			.endMetadata()
			.addToData(DATA_KEY, Yaml.write(stored.toDocument()))
			.build();
	}

	private void prune() {
		List<ConfigMap> entries = new ArrayList<>(
				client.configMaps().inNamespace(namespace).withLabel(HISTORY_LABEL, name).list().getItems());
		entries.sort(Comparator.comparingLong(KubernetesRouteStore::versionOf).reversed());
		for (ConfigMap old : entries.subList(Math.min(entries.size(), historySize), entries.size())) {
			client.resource(old).delete();
		}
	}

	@Override
	public List<HistoryEntry> history() {
		List<HistoryEntry> versions = new ArrayList<>();
		for (ConfigMap entry : client.configMaps().inNamespace(namespace).withLabel(HISTORY_LABEL, name).list().getItems()) {
			try {
				versions.add(parse(entry).entry());
			}
			catch (RuntimeException ex) {
				log.warn("Skipping unreadable history entry " + entry.getMetadata().getName() + ": " + ex.getMessage());
			}
		}
		versions.sort(Comparator.comparingLong(HistoryEntry::version).reversed());
		return versions.subList(0, Math.min(versions.size(), historySize));
	}

	@Override
	public Optional<StoredConfig> version(long version) {
		ConfigMap entry = client.configMaps().inNamespace(namespace).withName(historyName(version)).get();
		return Optional.ofNullable(entry).map(KubernetesRouteStore::parse);
	}

	/** The history entry of {@code version}: {@code meshgate-routes-v12}. */
	private String historyName(long version) {
		return name + "-v" + version;
	}

	@Override
	public synchronized void watch(Consumer<StoredConfig> listener) {
		if (informer != null) {
			throw new IllegalStateException("already watched");
		}
		informer = client.configMaps().inNamespace(namespace).withName(name).inform(new ResourceEventHandler<>() {

			@Override
			public void onAdd(ConfigMap configMap) {
				notify(configMap);
			}

			@Override
			public void onUpdate(ConfigMap before, ConfigMap after) {
				notify(after);
			}

			@Override
			public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
				log.warn("ConfigMap " + namespace + "/" + name + " was deleted; the gateway keeps running its last "
						+ "configuration, and the next edit creates it again");
			}

			private void notify(ConfigMap configMap) {
				try {
					listener.accept(parse(configMap));
				}
				catch (RuntimeException ex) {
					log.error("Cannot apply ConfigMap " + namespace + "/" + name + ": " + ex.getMessage(), ex);
				}
			}

		});
	}

	private static long versionOf(ConfigMap configMap) {
		String version = configMap.getMetadata().getAnnotations() == null ? null
				: configMap.getMetadata().getAnnotations().get(VERSION_ANNOTATION);
		return version == null ? 0 : Long.parseLong(version);
	}

	static StoredConfig parse(ConfigMap configMap) {
		String text = configMap.getData() == null ? null : configMap.getData().get(DATA_KEY);
		if (text == null) {
			throw new IllegalStateException("ConfigMap " + configMap.getMetadata().getName() + ": no key " + DATA_KEY);
		}
		return StoredConfig.fromDocument(Yaml.read(text));
	}

	@Override
	public String describe() {
		return "kubernetes:configmap/" + namespace + "/" + name;
	}

	@Override
	public synchronized void close() {
		if (informer != null) {
			informer.close();
			informer = null;
		}
	}

}
