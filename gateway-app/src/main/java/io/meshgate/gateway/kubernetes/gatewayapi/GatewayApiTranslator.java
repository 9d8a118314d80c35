package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.kubernetes.Conditions;
import io.meshgate.gateway.kubernetes.ObjectKey;
import io.meshgate.gateway.kubernetes.RouteCandidate;
import io.meshgate.gateway.kubernetes.ServerCertificates;
import io.meshgate.gateway.kubernetes.ServiceUpstreams;
import io.meshgate.gateway.listeners.ServedPorts;

/**
 * The Gateway API objects Meshgate serves, as routes and the statuses to write back: GatewayClasses
 * whose {@code controllerName} is Meshgate's, Gateways of those classes, and HTTPRoutes and
 * GRPCRoutes attached to them. Every Gateway of Meshgate's classes is served by every replica, each listener on the
 * server of its port ({@link ServedPorts}: the ingress port, the HTTPS listener, the further
 * listener ports); a listener on a port the gateway does not serve is refused
 * ({@code PortUnavailable}) and takes no route. Routes take requests of the listener ports and
 * host names they attached to only ({@link RoutePlace}), so Gateways on different ports never
 * share traffic; Gateways on the same port share it as one Gateway's listeners would, each
 * request going to the most specific listener host name it matches. TLS passthrough and TCP
 * listeners and their TLSRoutes and TCPRoutes: {@link TcpTlsRouteTranslator}.
 */
public final class GatewayApiTranslator {

	public static final String GROUP = "gateway.networking.k8s.io";

	static final String HTTP_ROUTE = "HTTPRoute";

	static final String GRPC_ROUTE = "GRPCRoute";

	/** The route kinds HTTP and HTTPS listeners take, in the order {@code supportedKinds} lists them. */
	private static final List<String> HTTP_LISTENER_KINDS = List.of(HTTP_ROUTE, GRPC_ROUTE);

	/** What the Gateway API objects add up to. Status maps hold the status to write per object. */
	public record Translation(List<RouteCandidate> routes, Map<ObjectKey, List<Condition>> gatewayClasses,
			Map<ObjectKey, GatewayStatus> gateways, Map<ObjectKey, List<RouteParentStatus>> httpRoutes,
			Map<ObjectKey, List<RouteParentStatus>> grpcRoutes, TcpTlsTranslation l4) {

	}

	private GatewayApiTranslator() {
	}

	/**
	 * @param addresses the gateway's addresses for Gateway status ({@code IPAddress} or {@code Hostname})
	 * @param served the listener ports the gateway serves
	 */
	public static Translation translate(ClusterSnapshot cluster, String controllerName, List<String> addresses,
			ServedPorts served, ServiceUpstreams upstreams) {
		Map<ObjectKey, List<Condition>> classes = new LinkedHashMap<>();
		Set<String> ours = new LinkedHashSet<>();
		for (GatewayClass gatewayClass : cluster.gatewayClasses()) {
			if (gatewayClass.getSpec() != null && controllerName.equals(gatewayClass.getSpec().getControllerName())) {
				ours.add(gatewayClass.getMetadata().getName());
				classes.put(ObjectKey.of(gatewayClass), List.of(Conditions.of("Accepted", true, "Accepted",
						"Served by Meshgate", gatewayClass.getMetadata().getGeneration())));
			}
		}
		List<Gateway> gateways = cluster.gateways()
			.stream()
			.filter(g -> g.getSpec() != null && ours.contains(g.getSpec().getGatewayClassName()))
			.toList();
		Map<ObjectKey, Map<String, Integer>> attached = new LinkedHashMap<>();
		gateways.forEach(g -> attached.put(ObjectKey.of(g), new LinkedHashMap<>()));
		Map<Integer, Set<String>> portHosts = portHosts(gateways, served);

		Served context = new Served(cluster, gateways, served, portHosts, attached, new LinkedHashMap<>(),
				new ArrayList<>(), controllerName);
		Map<ObjectKey, List<RouteParentStatus>> httpRoutes = attachAll(HTTP_ROUTE, cluster.httpRoutes(),
				r -> r.getSpec() == null ? null : r.getSpec().getParentRefs(),
				r -> r.getSpec() == null ? null : r.getSpec().getHostnames(),
				(r, places) -> HttpRouteTranslator.translate(r, places, upstreams), context);
		Map<ObjectKey, List<RouteParentStatus>> grpcRoutes = attachAll(GRPC_ROUTE, cluster.grpcRoutes(),
				r -> r.getSpec() == null ? null : r.getSpec().getParentRefs(),
				r -> r.getSpec() == null ? null : r.getSpec().getHostnames(),
				(r, places) -> GrpcRouteTranslator.translate(r, places, upstreams), context);
		TcpTlsTranslation l4 = TcpTlsRouteTranslator.translate(cluster, controllerName, gateways, served, upstreams,
				attached);
		Set<Integer> conflicted = TcpTlsListeners.conflictedPorts(gateways, served);
		Map<ObjectKey, GatewayStatus> gatewayStatuses = new LinkedHashMap<>();
		for (Gateway gateway : gateways) {
			gatewayStatuses.put(ObjectKey.of(gateway),
					gatewayStatus(gateway, addresses, served, attached.get(ObjectKey.of(gateway)),
							context.unsupported().getOrDefault(ObjectKey.of(gateway), Map.of()), cluster, conflicted));
		}
		return new Translation(context.routes(), classes, gatewayStatuses, httpRoutes, grpcRoutes, l4);
	}

	/**
	 * Attaches each route of one kind to the Gateways of ours its parentRefs name, translates it
	 * for the places it took, counts it on the listeners that took it, and gives the status of each
	 * such parent; routes that name no Gateway of ours get none.
	 */
	private static <R extends HasMetadata> Map<ObjectKey, List<RouteParentStatus>> attachAll(String kind, List<R> objects,
			Function<R, List<ParentReference>> parentRefs, Function<R, List<String>> hostnames,
			BiFunction<R, Set<RoutePlace>, HttpRouteTranslator.Result> translate, Served context) {
		Map<ObjectKey, List<RouteParentStatus>> routeStatuses = new LinkedHashMap<>();
		for (R route : objects) {
			List<ParentOutcome> parents = new ArrayList<>();
			Set<RoutePlace> places = new LinkedHashSet<>();
			List<ParentReference> refs = parentRefs.apply(route);
			for (ParentReference parent : refs == null ? List.<ParentReference>of() : refs) {
				Gateway gateway = ourGateway(parent, route, context.gateways());
				if (gateway != null) {
					ParentOutcome outcome = Attachment.attach(route, kind, hostnames.apply(route), parent, gateway,
							context.cluster(), context.served(), context.portHosts());
					parents.add(outcome);
					places.addAll(outcome.places());
					outcome.listeners()
						.forEach(listener -> context.attached().get(ObjectKey.of(gateway)).merge(listener, 1, Integer::sum));
					outcome.unsupportedOn()
						.forEach((listener, why) -> context.unsupported()
							.computeIfAbsent(ObjectKey.of(gateway), g -> new LinkedHashMap<>())
							.put(listener, why));
				}
			}
			if (parents.isEmpty()) {
				continue; // not attached to a Gateway of ours: neither served nor given a status
			}
			HttpRouteTranslator.Result result = places.isEmpty()
					? new HttpRouteTranslator.Result(List.of(), null, null, null) : translate.apply(route, places);
			context.routes().addAll(result.routes());
			Long generation = route.getMetadata().getGeneration();
			List<RouteParentStatus> statuses = new ArrayList<>();
			for (ParentOutcome parent : parents) {
				List<Condition> conditions = new ArrayList<>();
				if (parent.reason() != null) {
					conditions.add(Conditions.of("Accepted", false, parent.reason(), parent.message(), generation));
				}
				else if (result.unsupported() != null) {
					conditions.add(Conditions.of("Accepted", false, "UnsupportedValue", result.unsupported(), generation));
				}
				else {
					conditions.add(Conditions.of("Accepted", true, "Accepted", "Served by Meshgate", generation));
				}
				conditions.add(result.refsReason() == null
						? Conditions.of("ResolvedRefs", true, "ResolvedRefs", "All references resolved", generation)
						: Conditions.of("ResolvedRefs", false, result.refsReason(), result.refsMessage(), generation));
				statuses.add(new RouteParentStatusBuilder().withParentRef(parent.reference())
					.withControllerName(context.controllerName())
					.withConditions(conditions)
					.build());
			}
			routeStatuses.put(ObjectKey.of(route), statuses);
		}
		return routeStatuses;
	}

	/**
	 * What attaching routes reads, and what it adds to: the routes, the listeners' attached-route
	 * counts, and the listeners that cannot speak the protocol of a route they admit, with why.
	 */
	private record Served(ClusterSnapshot cluster, List<Gateway> gateways, ServedPorts served,
			Map<Integer, Set<String>> portHosts, Map<ObjectKey, Map<String, Integer>> attached,
			Map<ObjectKey, Map<String, String>> unsupported, List<RouteCandidate> routes, String controllerName) {

	}

	static Gateway ourGateway(ParentReference parent, HasMetadata route, List<Gateway> gateways) {
		String group = parent.getGroup() == null ? GROUP : parent.getGroup();
		String kind = parent.getKind() == null ? "Gateway" : parent.getKind();
		if (!GROUP.equals(group) || !"Gateway".equals(kind)) {
			return null;
		}
		String namespace = parent.getNamespace() == null ? route.getMetadata().getNamespace() : parent.getNamespace();
		return gateways.stream()
			.filter(g -> g.getMetadata().getName().equals(parent.getName())
					&& g.getMetadata().getNamespace().equals(namespace))
			.findFirst()
			.orElse(null);
	}

	/** The host names (null: any) of the served listeners of {@code gateways}, by port. */
	private static Map<Integer, Set<String>> portHosts(List<Gateway> gateways, ServedPorts served) {
		Map<Integer, Set<String>> hosts = new LinkedHashMap<>();
		for (Gateway gateway : gateways) {
			for (Listener listener : gateway.getSpec().getListeners() == null ? List.<Listener>of()
					: gateway.getSpec().getListeners()) {
				if (("HTTP".equals(listener.getProtocol()) || "HTTPS".equals(listener.getProtocol()))
						&& served.refusal(listener.getPort(), listener.getProtocol()) == null) {
					hosts.computeIfAbsent(listener.getPort(), p -> new LinkedHashSet<>()).add(listener.getHostname());
				}
			}
		}
		return hosts;
	}

	/**
	 * @param unsupported the listeners admitting routes whose protocol they cannot speak, with why
	 * ({@code Accepted: False}, {@code UnsupportedProtocol}; their other routes are served)
	 * @param conflicted the ports where a TCP listener and a listener of another protocol meet ({@link TcpTlsListeners})
	 */
	private static GatewayStatus gatewayStatus(Gateway gateway, List<String> available, ServedPorts served,
			Map<String, Integer> attached, Map<String, String> unsupported, ClusterSnapshot cluster,
			Set<Integer> conflicted) {
		GatewayAddresses addresses = GatewayAddresses.resolve(gateway, available);
		Long generation = gateway.getMetadata().getGeneration();
		List<ListenerStatus> listeners = new ArrayList<>();
		int programmed = 0;
		for (Listener listener : gateway.getSpec().getListeners() == null ? List.<Listener>of()
				: gateway.getSpec().getListeners()) {
			if (TcpTlsListeners.l4(listener)) {
				ListenerStatus status = TcpTlsListeners.status(listener, served, conflicted,
						attached.getOrDefault(listener.getName(), 0), generation);
				listeners.add(status);
				programmed += TcpTlsListeners.served(status) ? 1 : 0;
				continue;
			}
			boolean supported = "HTTP".equals(listener.getProtocol()) || "HTTPS".equals(listener.getProtocol());
			String portRefusal = supported ? served.refusal(listener.getPort(), listener.getProtocol()) : null;
			ServerCertificates.Resolved certificate = certificateProblem(gateway, listener, cluster);
			FrontendValidation.Resolved validation = FrontendValidation.resolve(cluster, gateway, listener);
			List<RouteGroupKind> kinds = supported ? routeKinds(listener) : List.of();
			boolean invalidKinds = listener.getAllowedRoutes() != null && listener.getAllowedRoutes().getKinds() != null
					&& !listener.getAllowedRoutes().getKinds().stream().allMatch(GatewayApiTranslator::served);
			Condition resolvedRefs = invalidKinds
					? Conditions.of("ResolvedRefs", false, "InvalidRouteKinds",
							"allowedRoutes.kinds: (expected: HTTPRoute or GRPCRoute of " + GROUP + ")", generation)
					: certificate != null
					? Conditions.of("ResolvedRefs", false, certificate.reason(), certificate.message(), generation)
					: validation != null && validation.reason() != null
							? Conditions.of("ResolvedRefs", false, validation.reason(), validation.message(), generation)
							: Conditions.of("ResolvedRefs", true, "ResolvedRefs", "", generation);
			// an HTTPS listener without a usable certificate serves no handshake: it is not programmed
			Condition listenerProgrammed = certificate == null
					? Conditions.of("Programmed", true, "Programmed", "", generation)
					: Conditions.of("Programmed", false, "Invalid", "no usable certificate: see ResolvedRefs", generation);
			if (supported && portRefusal == null && certificate == null) {
				programmed++;
			}
			listeners.add(new ListenerStatusBuilder().withName(listener.getName())
				.withAttachedRoutes(attached.getOrDefault(listener.getName(), 0))
				.withSupportedKinds(kinds)
				.withConditions(portRefusal != null
						? List.of(Conditions.of("Accepted", false, "PortUnavailable", portRefusal, generation),
								Conditions.of("Programmed", false, "Invalid", "port not served: see Accepted", generation),
								resolvedRefs)
						: supported && unsupported.containsKey(listener.getName())
						? List.of(Conditions.of("Accepted", false, "UnsupportedProtocol", unsupported.get(listener.getName()),
								generation), listenerProgrammed, resolvedRefs)
						: supported
						? List.of(Conditions.of("Accepted", true, "Accepted", "", generation), listenerProgrammed, resolvedRefs)
						: List.of(Conditions.of("Accepted", false, "UnsupportedProtocol",
								"protocol: " + listener.getProtocol() + " (expected: HTTP, HTTPS, TLS or TCP)", generation),
								Conditions.of("Programmed", false, "Invalid", "", generation)))
				.build());
			if (listener.getPort() != null && conflicted.contains(listener.getPort())) {
				ListenerStatus status = listeners.get(listeners.size() - 1);
				List<Condition> withConflict = new ArrayList<>(status.getConditions());
				withConflict.add(TcpTlsListeners.conflict(listener.getPort(), generation));
				status.setConditions(withConflict);
			}
		}
		boolean allValid = programmed == listeners.size();
		List<Condition> conditions = new ArrayList<>(List.of(
				addresses.unsupported() != null
						? Conditions.of("Accepted", false, "UnsupportedAddress", addresses.unsupported(), generation)
						: allValid ? Conditions.of("Accepted", true, "Accepted", "Served by Meshgate", generation)
						: Conditions.of("Accepted", true, "ListenersNotValid",
								(listeners.size() - programmed) + " of " + listeners.size()
										+ " listeners cannot be served: see their conditions",
								generation),
				addresses.unsupported() != null
						? Conditions.of("Programmed", false, "Invalid", "not accepted: see Accepted", generation)
						: addresses.unusable() != null
						? Conditions.of("Programmed", false, "AddressNotUsable", addresses.unusable(), generation)
						: addresses.status().isEmpty()
						? Conditions.of("Programmed", false, "AddressNotAssigned", "no address configured or published yet",
								generation)
						: programmed == 0 && !listeners.isEmpty()
								? Conditions.of("Programmed", false, "Invalid", "no listener can be served: see their conditions",
										generation)
								: Conditions.of("Programmed", true, "Programmed", "", generation)));
		if (FrontendValidation.insecureFallback(gateway)) {
			// GEP-91: clients without a certificate are let through somewhere on this Gateway
			conditions.add(Conditions.of("InsecureFrontendValidationMode", true, "ConfigurationChanged",
					"tls.frontend: mode AllowInsecureFallback lets clients without a certificate through", generation));
		}
		return new GatewayStatusBuilder()
			.withAddresses(addresses.status())
			.withConditions(conditions)
			.withListeners(listeners)
			.build();
	}

	/**
	 * The route kinds a listener takes: HTTPRoute and GRPCRoute, unless {@code allowedRoutes.kinds}
	 * names others only; kinds Meshgate does not serve are left out (and make the listener's refs
	 * unresolved).
	 */
	private static List<RouteGroupKind> routeKinds(Listener listener) {
		if (listener.getAllowedRoutes() == null || listener.getAllowedRoutes().getKinds() == null
				|| listener.getAllowedRoutes().getKinds().isEmpty()) {
			return HTTP_LISTENER_KINDS.stream().map(kind -> new RouteGroupKind(GROUP, kind)).toList();
		}
		return listener.getAllowedRoutes()
			.getKinds()
			.stream()
			.filter(GatewayApiTranslator::served)
			.map(k -> new RouteGroupKind(GROUP, k.getKind()))
			.distinct()
			.toList();
	}

	private static boolean served(RouteGroupKind kind) {
		return HTTP_LISTENER_KINDS.contains(kind.getKind()) && (kind.getGroup() == null || GROUP.equals(kind.getGroup()));
	}

	/** The first certificate reference of an HTTPS listener that cannot be used, or null (also for HTTP). */
	private static ServerCertificates.Resolved certificateProblem(Gateway gateway, Listener listener,
			ClusterSnapshot cluster) {
		if (!"HTTPS".equals(listener.getProtocol())) {
			return null;
		}
		if (listener.getTls() == null || listener.getTls().getCertificateRefs() == null
				|| listener.getTls().getCertificateRefs().isEmpty()) {
			return new ServerCertificates.Resolved("", "", "InvalidCertificateRef",
					"tls.certificateRefs: [] (expected: a kubernetes.io/tls Secret)");
		}
		for (SecretObjectReference ref : listener.getTls().getCertificateRefs()) {
			ServerCertificates.Resolved resolved = ServerCertificates.resolve(cluster, gateway, ref);
			if (resolved.reason() != null) {
				return resolved;
			}
		}
		return null;
	}

	/**
	 * How one parentRef attached: the listeners that took the route and its host names, or why none
	 * did; {@code unsupportedOn}: the listeners that admit the route but cannot speak its protocol,
	 * with why ({@link ServedPorts#unsupportedKind}).
	 */
	record ParentOutcome(ParentReference reference, List<String> listeners, Set<RoutePlace> places, String reason,
			String message, Map<String, String> unsupportedOn) {

	}

}
