package io.meshgate.gateway.kubernetes.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.admin.rollout.ReadOnlyRollouts;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;

/**
 * The state of the rollouts declared on HTTPRoutes ({@code meshgate.io/rollout}): kept in
 * Meshgate's own ConfigMap {@code meshgate-rollouts} (one key per translated route), never in the
 * user's HTTPRoute. {@link #apply} puts each state, and so the step's weights, over the weights
 * the HTTPRoute says; a change of the ConfigMap (the decider's move, on whichever replica)
 * translates again on every replica through {@link #watch}. Writes carry the resource version
 * read, so of two writers one wins.
 */
public final class HttpRouteRollouts implements ReadOnlyRollouts, AutoCloseable {

	private static final Log log = LogFactory.getLog(HttpRouteRollouts.class);

	public static final String CONFIG_MAP = "meshgate-rollouts";

	private final KubernetesClient client;

	private final String namespace;

	/** By route id, as last read. */
	private volatile Map<String, RolloutState> states = Map.of();

	private SharedIndexInformer<ConfigMap> informer;

	/** One route's state as the ConfigMap holds it (JSON): plain fields, read back into {@link RolloutState}. */
	record Kept(String canary, int step, String stepStarted, String phase, String reason) {

		static Kept of(RolloutState state) {
			return new Kept(state.canary(), state.step(), state.stepStarted().toString(), state.phase().name(),
					state.reason());
		}

		RolloutState state() {
			return new RolloutState(canary, step, Instant.parse(stepStarted), RolloutState.Phase.valueOf(phase), reason);
		}

	}

	public HttpRouteRollouts(KubernetesClient client, String namespace) {
		this.client = client;
		this.namespace = namespace;
	}

	/** Reads the states and calls {@code changed} whenever they change. */
	public synchronized void watch(Runnable changed) {
		informer = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).inform(new ResourceEventHandler<>() {

			@Override
			public void onAdd(ConfigMap configMap) {
				read(configMap);
				changed.run();
			}

			@Override
			public void onUpdate(ConfigMap before, ConfigMap after) {
				read(after);
				changed.run();
			}

			@Override
			public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
				states = Map.of();
				changed.run();
			}

		});
	}

	private void read(ConfigMap configMap) {
		Map<String, RolloutState> read = new HashMap<>();
		Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
		data.forEach((route, json) -> {
			try {
				read.put(route, client.getKubernetesSerialization().unmarshal(json, Kept.class).state());
			}
			catch (RuntimeException ex) {
				log.warn("ConfigMap " + namespace + "/" + CONFIG_MAP + ": ignoring the rollout state of " + route
						+ ", which does not read (" + ex.getClass().getSimpleName() + ")");
			}
		});
		states = Map.copyOf(read);
	}

	/**
	 * The translated configuration with each HTTPRoute rollout at its kept state: its step's
	 * weights in place of the HTTPRoute's. A rollout without a state (not started yet) or whose
	 * state names another canary (a new version: the decider starts it again) keeps the HTTPRoute's.
	 */
	public MeshConfig apply(MeshConfig translated) {
		Map<String, RolloutState> current = states;
		if (current.isEmpty()) {
			return translated;
		}
		List<Route> routes = new ArrayList<>(translated.routes().size());
		boolean changed = false;
		for (Route route : translated.routes()) {
			RolloutState state = current.get(route.id());
			if (state != null && route.canary().rollout() != null && route.backends().size() == 2
					&& state.canary().equals(route.backends().get(1).upstream())) {
				routes.add(RolloutMoves.at(route, state));
				changed = true;
			}
			else {
				routes.add(route);
			}
		}
		return changed ? new MeshConfig(translated.upstreams(), routes, translated.jwtProviders(), translated.consumers(),
				translated.authorizationPolicies(), translated.tcpRoutes(), translated.tlsPassthroughRoutes()) : translated;
	}

	@Override
	public boolean holds(Route route) {
		return route.id().startsWith(Names.ROUTE_PREFIX + "httproute.");
	}

	@Override
	public void write(Move move) {
		Route route = move.route();
		if (route.rolloutState() == null) {
			throw new IllegalArgumentException("route " + route.id() + ": a move without a rollout state");
		}
		String json = client.getKubernetesSerialization().asJson(Kept.of(route.rolloutState()));
		ConfigMap existing = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
		if (existing == null) {
			client.resource(new ConfigMapBuilder().withNewMetadata()
				.withName(CONFIG_MAP)
				.withNamespace(namespace)
				.addToLabels("app.kubernetes.io/managed-by", "meshgate")
				.endMetadata()
				.addToData(route.id(), json)
				.build()).create();
			return;
		}
		// replaced with the resource version read: a concurrent writer's change is refused (409), not lost
		ConfigMap updated = new ConfigMapBuilder(existing).addToData(route.id(), json).build();
		client.resource(updated).update();
	}

	@Override
	public synchronized void close() {
		if (informer != null) {
			informer.close();
			informer = null;
		}
	}

}
