package io.meshgate.gateway.kubernetes.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRouteStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.gatewayapi.TcpTlsTranslation;

/**
 * Writes the {@code status.parents} of TLSRoutes and TCPRoutes as {@link StatusWriter} writes
 * HTTPRoutes': only where Meshgate's entries differ, keeping other controllers' entries, and
 * removing Meshgate's entries from routes no longer attached to its Gateways.
 */
final class TcpTlsRouteStatusWriter {

	private final KubernetesClient client;

	private final String controllerName;

	/** Writes an object's status, returning 1, or logs why it could not and returns 0. */
	private final ToIntFunction<HasMetadata> update;

	TcpTlsRouteStatusWriter(KubernetesClient client, String controllerName, ToIntFunction<HasMetadata> update) {
		this.client = client;
		this.controllerName = controllerName;
		this.update = update;
	}

	/** Returns how many objects were written. */
	int write(ClusterSnapshot cluster, TcpTlsTranslation translation, String now) {
		return write(cluster.tlsRoutes(), translation.tlsRouteStatuses(),
				route -> route.getStatus() == null ? null : route.getStatus().getParents(), (route, parents) -> {
					TLSRouteStatus status = route.getStatus() == null ? new TLSRouteStatus() : route.getStatus();
					status.setParents(parents);
					route.setStatus(status);
				}, now)
				+ write(cluster.tcpRoutes(), translation.tcpRouteStatuses(),
						route -> route.getStatus() == null ? null : route.getStatus().getParents(), (route, parents) -> {
							TCPRouteStatus status = route.getStatus() == null ? new TCPRouteStatus() : route.getStatus();
							status.setParents(parents);
							route.setStatus(status);
						}, now);
	}

	private <T extends HasMetadata> int write(List<T> routes, Map<ObjectKey, List<RouteParentStatus>> desired,
			Function<T, List<RouteParentStatus>> parentsOf, BiConsumer<T, List<RouteParentStatus>> setParents,
			String now) {
		int written = 0;
		for (T route : routes) {
			List<RouteParentStatus> existing = parentsOf.apply(route) == null ? List.of() : parentsOf.apply(route);
			List<RouteParentStatus> ours = existing.stream()
				.filter(p -> controllerName.equals(p.getControllerName()))
				.toList();
			List<RouteParentStatus> wanted = desired.getOrDefault(ObjectKey.of(route), List.of());
			if (Conditions.sameEntries(ours, wanted, RouteParentStatus::getParentRef, RouteParentStatus::getConditions)) {
				continue;
			}
			List<RouteParentStatus> parents = new ArrayList<>(
					existing.stream().filter(p -> !controllerName.equals(p.getControllerName())).toList());
			for (RouteParentStatus parent : wanted) {
				List<Condition> before = ours.stream()
					.filter(p -> Objects.equals(p.getParentRef(), parent.getParentRef()))
					.findFirst()
					.map(RouteParentStatus::getConditions)
					.orElse(null);
				parents.add(new RouteParentStatusBuilder(parent)
					.withConditions(Conditions.stamp(parent.getConditions(), before, now))
					.build());
			}
			T copy = client.getKubernetesSerialization().clone(route);
			setParents.accept(copy, parents);
			written += update.applyAsInt(copy);
		}
		return written;
	}

}
