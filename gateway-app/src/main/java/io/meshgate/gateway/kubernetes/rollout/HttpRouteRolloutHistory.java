package io.meshgate.gateway.kubernetes.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.admin.store.HistoryEntry;

/**
 * The versions of each HTTPRoute rollout: one ConfigMap per route
 * ({@code meshgate-rollouts-history-<hash of the route id>}, labelled
 * {@code meshgate.io/history-of: meshgate-rollouts}, the route id in the annotation
 * {@code meshgate.io/route}), whose key {@code versions.json} lists its newest {@code size}
 * versions, newest first. One ConfigMap per route bounds each one (a version is a few hundred
 * bytes, far below the 1 MiB a ConfigMap holds) and keeps a busy rollout from pushing another's
 * moves out. Writes are conditioned on the resource version read and tried again on a conflict,
 * so that two moves of one route recorded at once both stay.
 */
final class HttpRouteRolloutHistory {

	private static final Log log = LogFactory.getLog(HttpRouteRolloutHistory.class);

	static final String NAME_PREFIX = HttpRouteRollouts.CONFIG_MAP + "-history-";

	static final String ROUTE_ANNOTATION = "meshgate.io/route";

	static final String DATA_KEY = "versions.json";

	/** Writers of one route's versions at once are two at most (the decider and an operator): a few tries settle them. */
	private static final int TRIES = 5;

	private final KubernetesClient client;

	private final String namespace;

	private final int size;

	/** The JSON of {@code versions.json}. */
	record Versions(List<Map<String, Object>> versions) {

		Versions {
			versions = versions == null ? List.of() : List.copyOf(versions);
		}

	}

	HttpRouteRolloutHistory(KubernetesClient client, String namespace, int size) {
		if (size < 1) {
			throw new IllegalArgumentException("historySize: " + size + " (expected: >= 1)");
		}
		this.client = client;
		this.namespace = namespace;
		this.size = size;
	}

	/** Adds {@code entry} as route {@code id}'s newest version, dropping the oldest beyond {@code size}. */
	void add(String id, HistoryEntry entry) {
		for (int attempt = 1;; attempt++) {
			ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name(id)).get();
			List<Map<String, Object>> versions = new ArrayList<>(size);
			versions.add(entry.toDocument());
			read(existing).stream().limit(size - 1).map(HistoryEntry::toDocument).forEach(versions::add);
			ConfigMap updated = new ConfigMapBuilder().withNewMetadata()
				.withName(name(id))
				.withNamespace(namespace)
				.withResourceVersion(existing == null ? null : existing.getMetadata().getResourceVersion())
				.addToLabels(HttpRouteRollouts.HISTORY_LABEL, HttpRouteRollouts.CONFIG_MAP)
				.addToLabels(HttpRouteRollouts.MANAGED_BY, "meshgate")
				.addToAnnotations(ROUTE_ANNOTATION, id)
				.endMetadata()
				.addToData(DATA_KEY, client.getKubernetesSerialization().asJson(new Versions(versions)))
				.build();
			if (ConfigMapWrites.writeIfUnchanged(client, updated, existing != null)) {
				return;
			}
			if (attempt == TRIES) {
				throw new IllegalStateException("ConfigMap " + namespace + "/" + name(id) + ": written by others "
						+ TRIES + " times while adding version " + entry.version());
			}
		}
	}

	/** Route {@code id}'s versions, newest first; none when it has none or they do not read. */
	List<HistoryEntry> of(String id) {
		return read(client.configMaps().inNamespace(namespace).withName(name(id)).get());
	}

	private List<HistoryEntry> read(ConfigMap configMap) {
		String json = configMap == null || configMap.getData() == null ? null : configMap.getData().get(DATA_KEY);
		if (json == null) {
			return List.of();
		}
		try {
			return client.getKubernetesSerialization().unmarshal(json, Versions.class).versions().stream()
				.map(HistoryEntry::fromDocument).toList();
		}
		catch (RuntimeException ex) {
			// hand-edited: the next version starts the list afresh rather than failing every move
			log.warn("ConfigMap " + namespace + "/" + configMap.getMetadata().getName()
					+ ": ignoring the rollout versions, which do not read (" + ex.getClass().getSimpleName() + ")");
			return List.of();
		}
	}

	/** A ConfigMap name from any route id (a host may hold {@code *}): a hash of it. */
	static String name(String id) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
			return NAME_PREFIX + HexFormat.of().formatHex(hash, 0, 10);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

}
