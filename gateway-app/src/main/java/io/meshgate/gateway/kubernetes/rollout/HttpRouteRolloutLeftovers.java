package io.meshgate.gateway.kubernetes.rollout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Removes what Meshgate keeps of the rollouts of HTTPRoutes that are gone: their state keys in
 * {@code meshgate-rollouts} and their history ConfigMaps ({@link HttpRouteRolloutHistory}). A
 * route is gone when a translation of the whole cluster (every informer synced) no longer has it
 * and its HTTPRoute no longer exists: an HTTPRoute that is only not served for a while (an
 * annotation with a typo, a parent Gateway not ready) keeps its rollout's state and history, as a
 * route still translated does, with or without its rollout. At most {@link #MAX_DELETES} history
 * ConfigMaps go per sweep, the rest at the next ones.
 */
final class HttpRouteRolloutLeftovers {

	private static final Log log = LogFactory.getLog(HttpRouteRolloutLeftovers.class);

	/** History ConfigMaps deleted per sweep at most: a sweep is a few calls, however many routes went. */
	static final int MAX_DELETES = 20;

	/**
	 * A route id as {@code Names.route} makes it for an HTTPRoute: namespace (a DNS label), name,
	 * then rule, match and host indices. An id cut for length does not match: its route is gone
	 * when no translation has it.
	 */
	private static final Pattern HTTP_ROUTE_ID = Pattern.compile("k8s\\.httproute\\.([a-z0-9-]+)\\.(.+)\\.\\d+\\.\\d+\\.\\d+");

	private final KubernetesClient client;

	private final String namespace;

	HttpRouteRolloutLeftovers(KubernetesClient client, String namespace) {
		this.client = client;
		this.namespace = namespace;
	}

	/**
	 * Removes the leftovers of every route not in {@code translated} (the ids of the routes of the
	 * last whole translation).
	 *
	 * @return whether nothing is left to remove (false: a move wrote {@code meshgate-rollouts} first,
	 *     or more history ConfigMaps than one sweep deletes; the next sweep goes on)
	 */
	boolean sweep(Set<String> translated) {
		Map<String, Boolean> gone = new HashMap<>();
		Predicate<String> isGone = id -> !translated.contains(id)
				&& gone.computeIfAbsent(id, this::httpRouteIsGone);
		if (!forgetStates(isGone)) {
			return false;
		}
		List<ConfigMap> histories = client.configMaps().inNamespace(namespace)
			.withLabel(HttpRouteRollouts.HISTORY_LABEL, HttpRouteRollouts.CONFIG_MAP).list().getItems();
		int deleted = 0;
		for (ConfigMap history : histories) {
			Map<String, String> annotations = history.getMetadata().getAnnotations();
			String route = annotations == null ? null : annotations.get(HttpRouteRolloutHistory.ROUTE_ANNOTATION);
			if (route == null || !isGone.test(route)) {
				continue;
			}
			if (deleted == MAX_DELETES) {
				return false;
			}
			client.configMaps().inNamespace(namespace).withName(history.getMetadata().getName()).delete();
			deleted++;
			log.info("Rollout: removed the history of route " + route + ", whose HTTPRoute is gone");
		}
		return true;
	}

	/** Whether the HTTPRoute that route {@code id} came from no longer exists. */
	private boolean httpRouteIsGone(String id) {
		Matcher parts = HTTP_ROUTE_ID.matcher(id);
		return !parts.matches()
				|| client.resources(HTTPRoute.class).inNamespace(parts.group(1)).withName(parts.group(2)).get() == null;
	}

	/**
	 * The state keys of routes that are gone, out of {@code meshgate-rollouts} in one conditional write.
	 *
	 * @return false when a move wrote the ConfigMap first (nothing removed: the next sweep reads it again)
	 */
	private boolean forgetStates(Predicate<String> isGone) {
		ConfigMap states = client.configMaps().inNamespace(namespace).withName(HttpRouteRollouts.CONFIG_MAP).get();
		if (states == null || states.getData() == null || states.getData().keySet().stream().noneMatch(isGone)) {
			return true;
		}
		Map<String, String> kept = new HashMap<>(states.getData());
		List<String> removed = kept.keySet().stream().filter(isGone).sorted().toList();
		kept.keySet().removeAll(removed);
		ConfigMap updated = new ConfigMapBuilder(states).withData(kept).build();
		if (!ConfigMapWrites.writeIfUnchanged(client, updated, true)) {
			log.debug("Rollout: ConfigMap " + namespace + "/" + HttpRouteRollouts.CONFIG_MAP
					+ " was written while its leftovers were removed; the next round removes them");
			return false;
		}
		log.info("Rollout: removed the states of routes whose HTTPRoutes are gone: " + removed);
		return true;
	}

}
