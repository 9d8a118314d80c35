package io.meshgate.gateway.kubernetes.rollout;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.admin.rollout.ReadOnlyRollouts;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.policy.rollout.RolloutState;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;

/**
 * The state and the versions of the rollouts declared on HTTPRoutes ({@code meshgate.io/rollout}):
 * kept in Meshgate's own ConfigMap {@code meshgate-rollouts} (one key per translated route; the
 * number of the last version in its annotation {@code meshgate.io/version}) and in one history
 * ConfigMap per route ({@link HttpRouteRolloutHistory}), never in the user's HTTPRoute.
 * {@link #apply} puts each state, and so the step's weights, over the weights the HTTPRoute says;
 * a change of the ConfigMap (the decider's move or an operator's action, on whichever replica)
 * translates again on every replica through {@link #watch}.
 *
 * <p>A move is written only over the state it was decided on, read afresh, and with the resource
 * version read: of two moves decided on one state (the decider's and an operator's, on two
 * replicas) one is kept and the other refused, and the version number goes up by one per move.
 */
public final class HttpRouteRollouts implements ReadOnlyRollouts, AutoCloseable {

	private static final Log log = LogFactory.getLog(HttpRouteRollouts.class);

	public static final String CONFIG_MAP = "meshgate-rollouts";

	/** The number of the last version, on {@link #CONFIG_MAP}. */
	static final String VERSION_ANNOTATION = "meshgate.io/version";

	static final String HISTORY_LABEL = "meshgate.io/history-of";

	static final String MANAGED_BY = "app.kubernetes.io/managed-by";

	private final KubernetesClient client;

	private final String namespace;

	private final HttpRouteRolloutHistory history;

	private final HttpRouteRolloutLeftovers leftovers;

	/** The ids of the routes of the last translation given to {@link #apply}; null before the first. */
	private volatile Set<String> translated;

	/** The ids {@link #forgetGone} last removed every leftover for: it sweeps again when they change. */
	private Set<String> swept;

	/** The failure {@link #forgetGone} last warned of, until a sweep goes through: a lasting one is logged once. */
	private String sweepFailure;

	private final Clock clock;

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

	/** @param historySize the versions kept of each route's rollout ({@code meshgate.store.history-size}) */
	public HttpRouteRollouts(KubernetesClient client, String namespace, int historySize, Clock clock) {
		this.client = client;
		this.namespace = namespace;
		this.clock = clock;
		this.history = new HttpRouteRolloutHistory(client, namespace, historySize);
		this.leftovers = new HttpRouteRolloutLeftovers(client, namespace);
	}

	/** The namespace of the ConfigMaps this class keeps: the ingress controller's. */
	public String namespace() {
		return namespace;
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
			RolloutState state = parse(route, json);
			if (state != null) {
				read.put(route, state);
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
		this.translated = Set.copyOf(translated.routes().stream().map(Route::id).toList());
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
		return holds(route.id());
	}

	/** Whether route {@code id} is translated from an HTTPRoute, whose rollout this class keeps. */
	public static boolean holds(String id) {
		return id.startsWith(Names.ROUTE_PREFIX + "httproute.");
	}

	@Override
	public HistoryEntry write(Route before, Move move, String author) {
		Route route = move.route();
		if (route.rolloutState() == null) {
			throw new IllegalArgumentException("route " + route.id() + ": a move without a rollout state");
		}
		ConfigMap existing = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
		if (!decidedOn(before, kept(existing, route.id()))) {
			throw new StateChangedException("route " + route.id() + ": the rollout moved since the move was decided");
		}
		long version = version(existing) + 1;
		HistoryEntry entry = new HistoryEntry(version, author, clock.instant(), move.summary());
		ConfigMapBuilder builder = existing == null ? new ConfigMapBuilder().withNewMetadata()
			.withName(CONFIG_MAP)
			.withNamespace(namespace)
			.addToLabels(MANAGED_BY, "meshgate")
			.endMetadata() : new ConfigMapBuilder(existing);
		ConfigMap updated = builder.editMetadata().addToAnnotations(VERSION_ANNOTATION, String.valueOf(version)).endMetadata()
			.addToData(route.id(), client.getKubernetesSerialization().asJson(Kept.of(route.rolloutState())))
			.build();
		if (!ConfigMapWrites.writeIfUnchanged(client, updated, existing != null)) {
			throw new StateChangedException("route " + route.id() + ": the rollout moved while the move was written");
		}
		try {
			history.add(route.id(), entry);
		}
		catch (RuntimeException ex) {
			// as the store's history: the move stands, its line is lost; the state says where it is
			log.warn("Rollout version " + version + " of " + route.id() + " is kept, but its history entry could not be "
					+ "written: " + ex.getMessage());
		}
		return entry;
	}

	@Override
	public List<HistoryEntry> history(String id) {
		return history.of(id);
	}

	/**
	 * Removes the states and histories of routes the last translation no longer has (their
	 * HTTPRoutes are gone), once per change of the translated routes ({@link HttpRouteRolloutLeftovers}).
	 */
	@Override
	public void forgetGone() {
		Set<String> current = translated;
		if (current == null || current.equals(swept)) {
			return;
		}
		try {
			if (leftovers.sweep(current)) {
				swept = current;
			}
			sweepFailure = null;
		}
		catch (RuntimeException ex) {
			// e.g. the Role lacks delete on configmaps: said once, tried again every round
			if (!String.valueOf(ex.getMessage()).equals(sweepFailure)) {
				sweepFailure = String.valueOf(ex.getMessage());
				log.warn("Rollout: the leftovers of gone HTTPRoutes could not be removed; trying again each round: "
						+ sweepFailure);
			}
		}
	}

	/**
	 * Whether {@code kept} is the state the move was decided on: the state {@code before} ran at,
	 * or, for a start, none that {@link #apply} would have put over it (none, or another canary's).
	 */
	private static boolean decidedOn(Route before, RolloutState kept) {
		RolloutState ran = before.rolloutState();
		if (ran != null) {
			return ran.equals(kept);
		}
		return kept == null || !kept.canary().equals(before.backends().get(1).upstream());
	}

	/** Route {@code id}'s state in {@code configMap}; null without one (or one that does not read, which a move replaces). */
	private RolloutState kept(ConfigMap configMap, String id) {
		String json = configMap == null || configMap.getData() == null ? null : configMap.getData().get(id);
		return json == null ? null : parse(id, json);
	}

	private RolloutState parse(String id, String json) {
		try {
			return client.getKubernetesSerialization().unmarshal(json, Kept.class).state();
		}
		catch (RuntimeException ex) {
			log.warn("ConfigMap " + namespace + "/" + CONFIG_MAP + ": ignoring the rollout state of " + id
					+ ", which does not read (" + ex.getClass().getSimpleName() + ")");
			return null;
		}
	}

	/** The number of the last version kept; 0 before the first. */
	private static long version(ConfigMap configMap) {
		String version = configMap == null || configMap.getMetadata().getAnnotations() == null ? null
				: configMap.getMetadata().getAnnotations().get(VERSION_ANNOTATION);
		try {
			return version == null ? 0 : Long.parseLong(version);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	@Override
	public synchronized void close() {
		if (informer != null) {
			informer.close();
			informer = null;
		}
	}

}
