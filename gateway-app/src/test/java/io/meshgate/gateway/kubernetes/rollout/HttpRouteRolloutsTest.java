package io.meshgate.gateway.kubernetes.rollout;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.meshgate.admin.rollout.ReadOnlyRollouts.StateChangedException;
import io.meshgate.admin.store.HistoryEntry;
import io.meshgate.gateway.testing.KubernetesApi;
import io.meshgate.policy.canary.CanaryPolicy;
import io.meshgate.policy.rollout.RolloutPolicy;
import io.meshgate.policy.rollout.RolloutState.Phase;
import io.meshgate.policy.rollout.routes.RolloutMoves;
import io.meshgate.policy.rollout.routes.RolloutMoves.Move;
import io.meshgate.policy.route.Backend;
import io.meshgate.policy.route.MeshConfig;
import io.meshgate.policy.route.Route;
import io.meshgate.policy.upstream.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state and versions of HTTPRoute rollouts in Meshgate's ConfigMaps, on fabric8's mock API
 * server: one version per move, numbered across routes, each route's newest {@code historySize}
 * kept; a move decided on a state that has moved since is refused and writes nothing; the state
 * and history of a route whose HTTPRoute is gone are removed, a bounded number at a time, and
 * those of an HTTPRoute that is only not served stay.
 */
class HttpRouteRolloutsTest {

	private static final String NAMESPACE = "rollout-versions";

	private static final String LEFTOVERS = "rollout-leftovers";

	private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

	private static final RolloutPolicy STEPS = new RolloutPolicy(List.of(10.0, 50.0, 100.0), null, null, null, null, null,
			null, null, null, null);

	@RegisterExtension
	static final KubernetesApi API = new KubernetesApi();

	private final HttpRouteRollouts rollouts = new HttpRouteRollouts(API.client(), NAMESPACE, 3,
			Clock.fixed(T0, ZoneOffset.UTC));

	private static Route route(String name) {
		return Route.of("k8s.httproute." + NAMESPACE + "." + name + ".0.0.0", "/" + name + "/**", Backend.of("v1", 100),
				Backend.of("v2", 0))
			.withCanary(CanaryPolicy.DEFAULT.withRollout(STEPS));
	}

	@Test
	void everyMoveIsAVersionAndEachRouteKeepsItsNewestVersions() {
		Route running = route("kept");
		assertThat(rollouts.holds(running)).isTrue();
		Move start = RolloutMoves.start(running, T0);
		long first = rollouts.write(running, start, "rollout").version();
		running = start.route();
		for (int i = 0; i < 4; i++) {
			Move move = i % 2 == 0 ? RolloutMoves.pause(running, "alice") : RolloutMoves.resume(running, "alice", T0);
			assertThat(rollouts.write(running, move, "alice")).isEqualTo(
					new HistoryEntry(first + 1 + i, "alice", T0, move.summary()));
			running = move.route();
		}
		Route other = route("other");
		long otherVersion = rollouts.write(other, RolloutMoves.start(other, T0), "rollout").version();

		List<HistoryEntry> history = rollouts.history(running.id());
		assertThat(history).extracting(HistoryEntry::version).containsExactly(first + 4, first + 3, first + 2);
		String id = running.id();
		assertThat(history).extracting(entry -> RolloutMoves.kindOf(id, entry.summary()))
			.containsExactly("resume", "pause", "resume");
		assertThat(otherVersion).isEqualTo(first + 5);
		assertThat(rollouts.history(other.id())).extracting(HistoryEntry::version).containsExactly(otherVersion);
		assertThat(rollouts.history("k8s.httproute." + NAMESPACE + ".never.0.0.0")).isEmpty();
	}

	@Test
	void aMoveDecidedOnAStateThatMovedSinceIsRefusedAndWritesNothing() {
		Route declared = route("raced");
		Move start = RolloutMoves.start(declared, T0);
		rollouts.write(declared, start, "rollout");
		Route running = start.route();
		Move paused = RolloutMoves.pause(running, "alice");
		HistoryEntry pause = rollouts.write(running, paused, "alice");
		ConfigMap before = API.client().configMaps().inNamespace(NAMESPACE).withName(HttpRouteRollouts.CONFIG_MAP).get();

		// the decider (on another replica, say) still sees the step running and promotes it
		Route stale = running;
		assertThatThrownBy(() -> rollouts.write(stale, RolloutMoves.promote(stale, "rollout", T0), "rollout"))
			.isInstanceOf(StateChangedException.class);
		// and a start decided before the first one was seen
		assertThatThrownBy(() -> rollouts.write(declared, RolloutMoves.start(declared, T0), "rollout"))
			.isInstanceOf(StateChangedException.class);

		ConfigMap after = API.client().configMaps().inNamespace(NAMESPACE).withName(HttpRouteRollouts.CONFIG_MAP).get();
		assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
		assertThat(after.getData().get(declared.id())).contains("\"phase\":\"" + Phase.PAUSED + "\"");
		assertThat(rollouts.history(declared.id())).first().isEqualTo(pause);
	}

	@Test
	void theStateAndHistoryOfARouteWhoseHttpRouteIsGoneAreRemovedAndOnlyThose() {
		// a namespace of its own: the other tests' routes are not this translation's
		HttpRouteRollouts rollouts = new HttpRouteRollouts(API.client(), LEFTOVERS, 3, Clock.fixed(T0, ZoneOffset.UTC));
		Route stays = route("stays");
		Route gone = route("gone");
		Route unstarted = route("unstarted");
		// not translated, but its HTTPRoute is there (its annotation has a typo, say): not gone
		Route unserved = route("unserved");
		API.client().resource(new HTTPRouteBuilder().withNewMetadata().withName("unserved").withNamespace(NAMESPACE)
			.endMetadata().build()).create();
		for (Route route : List.of(stays, gone, unserved)) {
			rollouts.write(route, RolloutMoves.start(route, T0), "rollout");
		}
		// histories of more gone routes than one sweep removes (their HTTPRoutes deleted long ago)
		HttpRouteRolloutHistory histories = new HttpRouteRolloutHistory(API.client(), LEFTOVERS, 3);
		int older = HttpRouteRolloutLeftovers.MAX_DELETES + 2;
		for (int i = 0; i < older; i++) {
			histories.add("k8s.httproute." + NAMESPACE + ".old-" + i + ".0.0.0", new HistoryEntry(1, "rollout", T0, "x"));
		}

		// before the first whole translation, nothing is known to be gone
		rollouts.forgetGone();
		assertThat(historyConfigMaps()).hasSize(3 + older);
		rollouts.apply(translation(stays, gone, unstarted));
		rollouts.forgetGone();
		assertThat(stateKeys()).containsExactlyInAnyOrder(stays.id(), gone.id(), unserved.id());
		assertThat(historyConfigMaps()).hasSize(3 + older - HttpRouteRolloutLeftovers.MAX_DELETES);

		rollouts.apply(translation(stays, unstarted));
		rollouts.forgetGone();
		assertThat(stateKeys()).containsExactlyInAnyOrder(stays.id(), unserved.id());
		assertThat(historyConfigMaps()).containsExactlyInAnyOrder(HttpRouteRolloutHistory.name(stays.id()),
				HttpRouteRolloutHistory.name(unserved.id()));
		assertThat(rollouts.history(gone.id())).isEmpty();
		assertThat(rollouts.history(stays.id())).hasSize(1);
		// and nothing more to do until the translated routes change
		String resourceVersion = states().getMetadata().getResourceVersion();
		rollouts.apply(translation(stays, unstarted));
		rollouts.forgetGone();
		assertThat(states().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
	}

	private static MeshConfig translation(Route... routes) {
		return new MeshConfig(List.of(Upstream.of("v1", "http://127.0.0.1:1"), Upstream.of("v2", "http://127.0.0.1:2")),
				List.of(routes));
	}

	private static ConfigMap states() {
		return API.client().configMaps().inNamespace(LEFTOVERS).withName(HttpRouteRollouts.CONFIG_MAP).get();
	}

	private static java.util.Set<String> stateKeys() {
		return states().getData().keySet();
	}

	private static List<String> historyConfigMaps() {
		return API.client().configMaps().inNamespace(LEFTOVERS)
			.withLabel(HttpRouteRollouts.HISTORY_LABEL, HttpRouteRollouts.CONFIG_MAP).list().getItems().stream()
			.map(configMap -> configMap.getMetadata().getName()).toList();
	}

}
