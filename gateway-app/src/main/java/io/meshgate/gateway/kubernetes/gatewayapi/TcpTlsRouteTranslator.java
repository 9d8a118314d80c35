package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TCPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.TLSRoute;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.Names;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.gateway.kubernetes.gatewayapi.GatewayApiTranslator.ParentOutcome;
import io.meshgate.gateway.kubernetes.gatewayapi.HttpRouteTranslator.Refs;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.policy.l4.L4Backend;
import io.meshgate.policy.l4.TcpRoute;
import io.meshgate.policy.l4.TlsPassthroughRoute;

/**
 * TCPRoutes and TLSRoutes ({@code v1alpha2}) as Meshgate's L4 routes: a TCPRoute on a TCP
 * listener becomes a {@code tcpRoutes} entry on the listener's port; a TLSRoute on a TLS
 * passthrough listener becomes a {@code tlsPassthroughRoutes} entry for the host names the route
 * and the listener share. Their {@code backendRefs} to Services become {@code protocol: TCP}
 * upstreams ({@link ServiceUpstreams#resolveTcp}) with the references' weights; a reference that
 * cannot be used (another kind, another namespace without a ReferenceGrant, a Service that does not
 * exist) is left out and named in {@code ResolvedRefs}. A route is one rule (L4 routes match
 * nothing more to choose among rules). Older routes win (creation time, then namespace and name,
 * as Gateway API resolves conflicts): one TCPRoute per TCP listener port, one TLSRoute per host
 * name; a later route that gets nothing is not accepted.
 */
final class TcpTlsRouteTranslator {

	private static final Comparator<HasMetadata> OLDEST_FIRST = Comparator
		.comparing((HasMetadata o) -> o.getMetadata().getCreationTimestamp() == null ? ""
				: o.getMetadata().getCreationTimestamp())
		.thenComparing(o -> o.getMetadata().getNamespace())
		.thenComparing(o -> o.getMetadata().getName());

	private final ClusterSnapshot cluster;

	private final String controllerName;

	private final List<Gateway> gateways;

	private final ServedPorts served;

	private final ServiceUpstreams upstreams;

	private final Map<ObjectKey, Map<String, Integer>> attached;

	private final Set<Integer> conflicted;

	private final Map<Integer, String> tcpPorts = new LinkedHashMap<>();

	private final Map<String, String> tlsHosts = new LinkedHashMap<>();

	private final List<TcpRoute> tcpRoutes = new ArrayList<>();

	private final List<TlsPassthroughRoute> tlsRoutes = new ArrayList<>();

	private final Set<String> used = new LinkedHashSet<>();

	private final Map<String, ObjectKey> owners = new LinkedHashMap<>();

	private TcpTlsRouteTranslator(ClusterSnapshot cluster, String controllerName, List<Gateway> gateways,
			ServedPorts served, ServiceUpstreams upstreams, Map<ObjectKey, Map<String, Integer>> attached) {
		this.cluster = cluster;
		this.controllerName = controllerName;
		this.gateways = gateways;
		this.served = served;
		this.upstreams = upstreams;
		this.attached = attached;
		this.conflicted = TcpTlsListeners.conflictedPorts(gateways, served);
	}

	/**
	 * @param gateways the Gateways of Meshgate's classes
	 * @param attached the routes attached per listener name, per Gateway: counted on
	 */
	static TcpTlsTranslation translate(ClusterSnapshot cluster, String controllerName, List<Gateway> gateways, ServedPorts served,
			ServiceUpstreams upstreams, Map<ObjectKey, Map<String, Integer>> attached) {
		TcpTlsRouteTranslator translator = new TcpTlsRouteTranslator(cluster, controllerName, gateways, served, upstreams,
				attached);
		Map<ObjectKey, List<RouteParentStatus>> tls = new LinkedHashMap<>();
		cluster.tlsRoutes().stream().sorted(OLDEST_FIRST).forEach(route -> translator.route(route, TcpTlsListeners.TLS_ROUTE,
				route.getSpec() == null ? null : route.getSpec().getParentRefs(),
				route.getSpec() == null ? null : route.getSpec().getHostnames(),
				route.getSpec() == null || route.getSpec().getRules() == null ? List.of()
						: route.getSpec().getRules().stream().map(r -> r.getBackendRefs()).toList(),
				tls));
		Map<ObjectKey, List<RouteParentStatus>> tcp = new LinkedHashMap<>();
		cluster.tcpRoutes().stream().sorted(OLDEST_FIRST).forEach(route -> translator.route(route, TcpTlsListeners.TCP_ROUTE,
				route.getSpec() == null ? null : route.getSpec().getParentRefs(), null,
				route.getSpec() == null || route.getSpec().getRules() == null ? List.of()
						: route.getSpec().getRules().stream().map(r -> r.getBackendRefs()).toList(),
				tcp));
		return new TcpTlsTranslation(List.copyOf(translator.tcpRoutes), List.copyOf(translator.tlsRoutes),
				Set.copyOf(translator.used), Map.copyOf(translator.owners), tls, tcp);
	}

	/** Translates one route; puts its statuses into {@code statuses} when a Gateway of ours is among its parents. */
	private void route(HasMetadata route, String kind, List<ParentReference> parentRefs, List<String> hostnames,
			List<List<BackendRef>> rules, Map<ObjectKey, List<RouteParentStatus>> statuses) {
		List<ParentOutcome> parents = new ArrayList<>();
		for (ParentReference parent : parentRefs == null ? List.<ParentReference>of() : parentRefs) {
			Gateway gateway = GatewayApiTranslator.ourGateway(parent, route, gateways);
			if (gateway != null) {
				parents.add(withoutConflictedPorts(
						Attachment.attach(route, kind, hostnames, parent, gateway, cluster, served, Map.of()), gateway));
			}
		}
		if (parents.isEmpty()) {
			return; // not attached to a Gateway of ours: neither served nor given a status
		}
		Refs refs = new Refs();
		String unsupported = rules.size() != 1
				? "rules: " + rules.size() + " (expected: one rule; an L4 route has nothing to choose among rules by)"
				: null;
		List<L4Backend> backends = List.of();
		if (unsupported == null) {
			try {
				backends = backends(route, kind, rules.get(0), refs);
			}
			catch (IllegalArgumentException ex) {
				unsupported = ex.getMessage(); // a Service whose port or annotations cannot be served
			}
		}
		boolean usable = backends.stream().mapToInt(L4Backend::weight).sum() > 0;
		List<RouteParentStatus> result = new ArrayList<>();
		for (int p = 0; p < parents.size(); p++) {
			ParentOutcome parent = parents.get(p);
			String taken = parent.reason() == null && unsupported == null
					? take(route, kind, parent, p, usable ? backends : null) : null;
			String reason = parent.reason() != null ? parent.reason() : unsupported != null || taken != null
					? "UnsupportedValue" : null;
			String message = parent.reason() != null ? parent.message() : unsupported != null ? unsupported : taken;
			if (reason == null) {
				Gateway gateway = GatewayApiTranslator.ourGateway(parent.reference(), route, gateways);
				parent.listeners().forEach(listener -> attached.get(ObjectKey.of(gateway)).merge(listener, 1, Integer::sum));
			}
			result.add(status(parent.reference(), reason, message, refs, route.getMetadata().getGeneration()));
		}
		statuses.put(ObjectKey.of(route), result);
	}

	/** The parent's outcome without the listener ports a TCP listener conflicts on: those take no route. */
	private ParentOutcome withoutConflictedPorts(ParentOutcome outcome, Gateway gateway) {
		if (outcome.reason() != null || outcome.places().stream().noneMatch(p -> conflicted.contains(p.port()))) {
			return outcome;
		}
		Set<RoutePlace> places = new LinkedHashSet<>(outcome.places());
		places.removeIf(p -> conflicted.contains(p.port()));
		if (places.isEmpty()) {
			return new ParentOutcome(outcome.reference(), List.of(), Set.of(), "NotAllowedByListeners",
					"no listener of Gateway " + gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName()
							+ " admits this route: its listener port has listeners of two protocols (see Conflicted)",
					Map.of());
		}
		List<String> listeners = TcpTlsListeners.listeners(gateway)
			.stream()
			.filter(l -> outcome.listeners().contains(l.getName()) && !conflicted.contains(l.getPort()))
			.map(l -> l.getName())
			.toList();
		return new ParentOutcome(outcome.reference(), listeners, places, null, null, Map.of());
	}

	/**
	 * Makes the L4 routes of one accepted parent (none when {@code backends} is null: no usable
	 * backend, so connections are refused); returns why the parent gets nothing, or null.
	 */
	private String take(HasMetadata route, String kind, ParentOutcome parent, int index, List<L4Backend> backends) {
		String owner = route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
		boolean gotSome = false;
		List<String> hosts = new ArrayList<>();
		for (RoutePlace place : parent.places()) {
			if (TcpTlsListeners.TCP_ROUTE.equals(kind)) {
				String holder = tcpPorts.putIfAbsent(place.port(), owner);
				if (holder == null || holder.equals(owner)) {
					gotSome = true;
					if (holder == null && backends != null) {
						String name = Names.l4Route("tcp", route.getMetadata().getNamespace(), route.getMetadata().getName(),
								place.port());
						tcpRoutes.add(new TcpRoute(name, place.port(), backends, null));
						owners.put(name, ObjectKey.of(route));
					}
				}
			}
			else if (place.hostname() == null) {
				return "hostnames: [] (expected: a host name on the route or its listener: passthrough is chosen by the"
						+ " ClientHello's server name)";
			}
			else {
				String holder = tlsHosts.putIfAbsent(place.hostname(), owner);
				if (holder == null || holder.equals(owner)) {
					gotSome = true;
					if (holder == null) {
						hosts.add(place.hostname());
					}
				}
			}
		}
		if (!hosts.isEmpty() && backends != null) {
			String name = Names.l4Route("tls", route.getMetadata().getNamespace(), route.getMetadata().getName(), index);
			tlsRoutes.add(new TlsPassthroughRoute(name, hosts, backends, null));
			owners.put(name, ObjectKey.of(route));
		}
		return gotSome ? null : TcpTlsListeners.TCP_ROUTE.equals(kind)
				? "listener port: taken by an older TCPRoute (expected: one TCPRoute per TCP listener port)"
				: "hostnames: taken by older TLSRoutes (expected: one TLSRoute per host name)";
	}

	/** The rule's usable backends; the problems of those left out in {@code refs}. */
	private List<L4Backend> backends(HasMetadata route, String kind, List<BackendRef> refList, Refs refs) {
		List<L4Backend> backends = new ArrayList<>();
		List<BackendRef> list = refList == null ? List.of() : refList;
		for (int i = 0; i < list.size(); i++) {
			BackendRef ref = list.get(i);
			String upstream = HttpRouteTranslator.service(kind, ref.getGroup(), ref.getKind(), ref.getName(),
					ref.getNamespace(), ref.getPort(), route.getMetadata().getNamespace(), upstreams, upstreams::resolveTcp,
					refs, "rules[0].backendRefs[" + i + "]");
			if (upstream != null) {
				used.add(upstream);
				backends.add(new L4Backend(upstream, ref.getWeight()));
			}
		}
		return backends;
	}

	private RouteParentStatus status(ParentReference reference, String reason, String message, Refs refs,
			Long generation) {
		List<Condition> conditions = new ArrayList<>();
		conditions.add(reason == null ? Conditions.of("Accepted", true, "Accepted", "Served by Meshgate", generation)
				: Conditions.of("Accepted", false, reason, message, generation));
		conditions.add(refs.reason == null
				? Conditions.of("ResolvedRefs", true, "ResolvedRefs", "All references resolved", generation)
				: Conditions.of("ResolvedRefs", false, refs.reason, refs.message, generation));
		return new RouteParentStatusBuilder().withParentRef(reference)
			.withControllerName(controllerName)
			.withConditions(conditions)
			.build();
	}

}
