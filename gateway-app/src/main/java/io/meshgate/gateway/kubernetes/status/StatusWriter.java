package io.meshgate.gateway.kubernetes.status;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRouteStatus;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.KubernetesTranslation;
import io.meshgate.gateway.kubernetes.ObjectKey;

/**
 * Writes the statuses of a translation back to the objects, only where they differ from what the
 * objects already say (ignoring {@code lastTransitionTime}, which is kept while a condition's
 * status holds): a write triggers a watch event and a new translation, which then finds nothing
 * to write, so there is no write loop. Entries of other controllers in an HTTPRoute's or a
 * GRPCRoute's {@code status.parents} are kept. A failed write (a conflict with a newer version, say) is
 * logged and done again at the next translation.
 */
public final class StatusWriter {

	private static final Log log = LogFactory.getLog(StatusWriter.class);

	private final KubernetesClient client;

	private final String controllerName;

	private final Clock clock;

	private final BackendTlsPolicyStatusWriter backendTlsPolicies;

	public StatusWriter(KubernetesClient client, String controllerName, Clock clock) {
		this.client = client;
		this.controllerName = controllerName;
		this.clock = clock;
		this.backendTlsPolicies = new BackendTlsPolicyStatusWriter(client, controllerName);
	}

	/** Returns how many objects were written. */
	public int write(ClusterSnapshot cluster, KubernetesTranslation translation) {
		String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
		int written = 0;
		for (Map.Entry<ObjectKey, List<Condition>> entry : translation.gatewayApi().gatewayClasses().entrySet()) {
			Optional<GatewayClass> found = find(cluster.gatewayClasses(), entry.getKey());
			if (found.isPresent()) {
				GatewayClass object = found.get();
				List<Condition> current = object.getStatus() == null ? null : object.getStatus().getConditions();
				if (!Conditions.same(current, entry.getValue())) {
					GatewayClassStatus status = object.getStatus() == null ? new GatewayClassStatus() : object.getStatus();
					status.setConditions(Conditions.stamp(entry.getValue(), current, now));
					object.setStatus(status);
					written += update(object);
				}
			}
		}
		for (Map.Entry<ObjectKey, GatewayStatus> entry : translation.gatewayApi().gateways().entrySet()) {
			Optional<Gateway> found = find(cluster.gateways(), entry.getKey());
			if (found.isPresent() && !same(found.get().getStatus(), entry.getValue())) {
				Gateway object = found.get();
				object.setStatus(stamp(entry.getValue(), object.getStatus(), now));
				written += update(object);
			}
		}
		written += writeRoutes(cluster.httpRoutes(), translation.gatewayApi().httpRoutes(),
				r -> r.getStatus() == null ? null : r.getStatus().getParents(), (r, parents) -> {
					HTTPRouteStatus status = r.getStatus() == null ? new HTTPRouteStatus() : r.getStatus();
					status.setParents(parents);
					r.setStatus(status);
				}, now);
		written += writeRoutes(cluster.grpcRoutes(), translation.gatewayApi().grpcRoutes(),
				r -> r.getStatus() == null ? null : r.getStatus().getParents(), (r, parents) -> {
					GRPCRouteStatus status = r.getStatus() == null ? new GRPCRouteStatus() : r.getStatus();
					status.setParents(parents);
					r.setStatus(status);
				}, now);
		List<IngressLoadBalancerIngress> addresses = translation.addresses()
			.stream()
			.map(a -> a.matches("[0-9.]+|.*:.*") ? new IngressLoadBalancerIngressBuilder().withIp(a).build()
					: new IngressLoadBalancerIngressBuilder().withHostname(a).build())
			.toList();
		for (ObjectKey key : translation.ingress().served()) {
			Optional<Ingress> found = find(cluster.ingresses(), key);
			if (found.isPresent()) {
				Ingress object = found.get();
				List<IngressLoadBalancerIngress> current = object.getStatus() == null
						|| object.getStatus().getLoadBalancer() == null ? List.of()
								: Optional.ofNullable(object.getStatus().getLoadBalancer().getIngress()).orElse(List.of());
				if (!current.equals(addresses)) {
					object.setStatus(new IngressStatus(new IngressLoadBalancerStatus(addresses)));
					written += update(object);
				}
			}
		}
		written += backendTlsPolicies.write(cluster, translation, now);
		written += writeRoutes(cluster.tlsRoutes(), translation.gatewayApi().l4().tlsRouteStatuses(),
				r -> r.getStatus() == null ? null : r.getStatus().getParents(), (r, parents) -> {
					TLSRouteStatus status = r.getStatus() == null ? new TLSRouteStatus() : r.getStatus();
					status.setParents(parents);
					r.setStatus(status);
				}, now);
		written += writeRoutes(cluster.tcpRoutes(), translation.gatewayApi().l4().tcpRouteStatuses(),
				r -> r.getStatus() == null ? null : r.getStatus().getParents(), (r, parents) -> {
					TCPRouteStatus status = r.getStatus() == null ? new TCPRouteStatus() : r.getStatus();
					status.setParents(parents);
					r.setStatus(status);
				}, now);
		return written;
	}

	/**
	 * Writes our entries of the routes' {@code status.parents} where they differ from {@code desired},
	 * keeping other controllers' entries; routes no longer attached to a Gateway of ours lose our
	 * entries, so that they do not claim to be served.
	 */
	private <R extends HasMetadata> int writeRoutes(List<R> routes, Map<ObjectKey, List<RouteParentStatus>> desired,
			Function<R, List<RouteParentStatus>> parentsOf, BiConsumer<R, List<RouteParentStatus>> setParents,
			String now) {
		int written = 0;
		for (Map.Entry<ObjectKey, List<RouteParentStatus>> entry : desired.entrySet()) {
			Optional<R> found = find(routes, entry.getKey());
			if (found.isPresent()) {
				R object = found.get();
				List<RouteParentStatus> existing = Optional.ofNullable(parentsOf.apply(object)).orElse(List.of());
				List<RouteParentStatus> ours = existing.stream()
					.filter(p -> controllerName.equals(p.getControllerName()))
					.toList();
				if (!Conditions.sameEntries(ours, entry.getValue(), RouteParentStatus::getParentRef,
						RouteParentStatus::getConditions)) {
					List<RouteParentStatus> parents = new ArrayList<>(
							existing.stream().filter(p -> !controllerName.equals(p.getControllerName())).toList());
					for (RouteParentStatus parent : entry.getValue()) {
						List<Condition> before = ours.stream()
							.filter(p -> Objects.equals(p.getParentRef(), parent.getParentRef()))
							.findFirst()
							.map(RouteParentStatus::getConditions)
							.orElse(null);
						parents.add(new RouteParentStatusBuilder(parent)
							.withConditions(Conditions.stamp(parent.getConditions(), before, now))
							.build());
					}
					setParents.accept(object, parents);
					written += update(object);
				}
			}
		}
		for (R route : routes) {
			ObjectKey key = ObjectKey.of(route);
			List<RouteParentStatus> parents = parentsOf.apply(route);
			if (!desired.containsKey(key) && parents != null
					&& parents.stream().anyMatch(p -> controllerName.equals(p.getControllerName()))) {
				R object = find(routes, key).orElseThrow();
				setParents.accept(object,
						parents.stream().filter(p -> !controllerName.equals(p.getControllerName())).toList());
				written += update(object);
			}
		}
		return written;
	}

	private int update(HasMetadata object) {
		try {
			client.resource(object).updateStatus();
			return 1;
		}
		catch (KubernetesClientException ex) {
			log.warn("Writing the status of " + ObjectKey.of(object) + " failed (tried again at the next change): "
					+ ex.getMessage());
			return 0;
		}
	}

	private static boolean same(GatewayStatus current, GatewayStatus desired) {
		if (current == null) {
			return false;
		}
		if (!Objects.equals(orEmpty(current.getAddresses()), orEmpty(desired.getAddresses()))
				|| !Conditions.same(current.getConditions(), desired.getConditions())) {
			return false;
		}
		List<ListenerStatus> a = current.getListeners() == null ? List.of() : current.getListeners();
		List<ListenerStatus> b = desired.getListeners();
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!Objects.equals(a.get(i).getName(), b.get(i).getName())
					|| !Objects.equals(a.get(i).getAttachedRoutes(), b.get(i).getAttachedRoutes())
					|| !Objects.equals(orEmpty(a.get(i).getSupportedKinds()), orEmpty(b.get(i).getSupportedKinds()))
					|| !Conditions.same(a.get(i).getConditions(), b.get(i).getConditions())) {
				return false;
			}
		}
		return true;
	}

	private static <T> List<T> orEmpty(List<T> list) {
		return list == null ? List.of() : list;
	}

	private static GatewayStatus stamp(GatewayStatus desired, GatewayStatus current, String now) {
		List<ListenerStatus> before = current == null || current.getListeners() == null ? List.of() : current.getListeners();
		List<ListenerStatus> listeners = desired.getListeners().stream().map(listener -> {
			List<Condition> previous = before.stream()
				.filter(l -> Objects.equals(l.getName(), listener.getName()))
				.findFirst()
				.map(ListenerStatus::getConditions)
				.orElse(null);
			return new ListenerStatusBuilder(listener).withConditions(Conditions.stamp(listener.getConditions(), previous, now))
				.build();
		}).toList();
		return new GatewayStatusBuilder(desired)
			.withConditions(Conditions.stamp(desired.getConditions(), current == null ? null : current.getConditions(), now))
			.withListeners(listeners)
			.build();
	}

	/** A copy of the object: the snapshot's objects are the informers' cache, never changed in place. */
	private <T extends HasMetadata> Optional<T> find(List<T> objects, ObjectKey key) {
		return objects.stream()
			.filter(o -> ObjectKey.of(o).equals(key))
			.findFirst()
			.map(o -> client.getKubernetesSerialization().clone(o));
	}

}
