package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

import io.meshgate.gateway.kubernetes.ClusterSnapshot;
import io.meshgate.gateway.listeners.ServedPorts;
import io.meshgate.gateway.kubernetes.gatewayapi.GatewayApiTranslator.ParentOutcome;

/**
 * Which listeners of a Gateway take an HTTPRoute or a GRPCRoute, and for which host names (the
 * intersection of the listener's and the route's, as the specification defines it). Only HTTP and
 * HTTPS listeners take them, and only where {@code allowedRoutes.kinds} (when given) names the
 * route's kind. {@code allowedRoutes.namespaces}
 * {@code from}: {@code Same} (the default), {@code All}, or {@code Selector}: routes of namespaces
 * whose labels the {@code selector} matches ({@code matchLabels} and {@code matchExpressions}
 * with {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, all of them; no selector or
 * an unknown operator matches no namespace), as the cluster's Namespaces say at the translation.
 * A listener on a port the gateway does not serve takes no route, nor does one that cannot speak
 * the route's protocol ({@link ServedPorts#unsupportedKind}: GRPCRoute on an HTTP listener without
 * h2c), which the route's status and the listener's then say ({@code UnsupportedProtocol}); each
 * listener that takes the route gives it its port and the host names no more specific listener of
 * that port takes ({@link RoutePlace}).
 */
final class Attachment {

	private Attachment() {
	}

	/**
	 * @param kind the route's kind, {@code HTTPRoute} or {@code GRPCRoute}
	 * @param hostnames the route's {@code spec.hostnames}, null or empty: any
	 * @param served the listener ports this gateway serves; listeners on others take no route
	 * @param portHosts the host names (null: any) of every served listener, by port, across Gateways
	 */
	static ParentOutcome attach(HasMetadata route, String kind, List<String> hostnames, ParentReference parent,
			Gateway gateway, ClusterSnapshot cluster, ServedPorts served, Map<Integer, Set<String>> portHosts) {
		List<String> routeHosts = hostnames == null ? List.of() : hostnames;
		List<String> listeners = new ArrayList<>();
		Set<RoutePlace> places = new LinkedHashSet<>();
		boolean named = false;
		boolean allowedSomewhere = false;
		Map<String, String> unsupported = new LinkedHashMap<>();
		for (Listener listener : gateway.getSpec().getListeners() == null ? List.<Listener>of()
				: gateway.getSpec().getListeners()) {
			if (parent.getSectionName() != null && !parent.getSectionName().equals(listener.getName())
					|| parent.getPort() != null && !parent.getPort().equals(listener.getPort())) {
				continue;
			}
			named = true;
			if (!TcpTlsListeners.takes(listener, kind)
					|| served.refusal(listener.getPort(), listener.getProtocol()) != null
					|| !allows(listener.getAllowedRoutes(), route, kind, gateway, cluster)) {
				continue;
			}
			String unsupportedKind = served.unsupportedKind(listener.getProtocol(), kind);
			if (unsupportedKind != null) {
				unsupported.put(listener.getName(), unsupportedKind);
				continue;
			}
			allowedSomewhere = true;
			Set<String> matching = intersect(listener.getHostname(), routeHosts);
			if (!matching.isEmpty()) {
				listeners.add(listener.getName());
				Set<String> others = portHosts.getOrDefault(listener.getPort(), Set.of());
				matching.forEach(host -> places.add(new RoutePlace(listener.getPort(), host,
						moreSpecific(listener.getHostname(), host, others))));
			}
		}
		if (!named) {
			return new ParentOutcome(parent, List.of(), Set.of(), "NoMatchingParent",
					"parentRef: no listener of Gateway " + gateway.getMetadata().getNamespace() + "/"
							+ gateway.getMetadata().getName() + " has that sectionName and port", Map.of());
		}
		if (!allowedSomewhere && !unsupported.isEmpty()) {
			return new ParentOutcome(parent, List.of(), Set.of(), "UnsupportedProtocol",
					unsupported.values().iterator().next(), unsupported);
		}
		if (!allowedSomewhere) {
			return new ParentOutcome(parent, List.of(), Set.of(), "NotAllowedByListeners",
					"no listener of Gateway " + gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName()
							+ " admits this route" + (parent.getSectionName() == null ? "" : " as " + parent.getSectionName()),
					Map.of());
		}
		if (listeners.isEmpty()) {
			return new ParentOutcome(parent, List.of(), Set.of(), "NoMatchingListenerHostname",
					"hostnames: " + routeHosts + " (expected: names the listeners accept)", unsupported);
		}
		return new ParentOutcome(parent, listeners, places, null, null, unsupported);
	}

	/**
	 * The host names of other listeners on the port that are more specific than
	 * {@code listenerHost} (null: any) and share names with {@code routeHost} (null: any): requests
	 * for them belong to those listeners.
	 */
	static List<String> moreSpecific(String listenerHost, String routeHost, Set<String> portHosts) {
		List<String> more = new ArrayList<>();
		for (String other : portHosts) {
			if (other == null || other.equals(listenerHost) || listenerHost != null && !covers(listenerHost, other)) {
				continue;
			}
			if (routeHost == null || covers(other, routeHost) || covers(routeHost, other)) {
				more.add(other);
			}
		}
		return more;
	}

	private static boolean allows(AllowedRoutes allowed, HasMetadata route, String kind, Gateway gateway,
			ClusterSnapshot cluster) {
		if (allowed != null && allowed.getKinds() != null && !allowed.getKinds().isEmpty()
				&& allowed.getKinds().stream().noneMatch(k -> kind.equals(k.getKind())
						&& (k.getGroup() == null || GatewayApiTranslator.GROUP.equals(k.getGroup())))) {
			return false;
		}
		String from = allowed == null || allowed.getNamespaces() == null || allowed.getNamespaces().getFrom() == null
				? "Same" : allowed.getNamespaces().getFrom();
		return switch (from) {
			case "All" -> true;
			case "Same" -> route.getMetadata().getNamespace().equals(gateway.getMetadata().getNamespace());
			case "Selector" -> selects(allowed.getNamespaces().getSelector(),
					cluster.namespaceLabels(route.getMetadata().getNamespace()));
			default -> false;
		};
	}

	/** Whether a Kubernetes label selector matches {@code labels}; an empty selector matches all, none matches none. */
	static boolean selects(LabelSelector selector, Map<String, String> labels) {
		if (selector == null) {
			return false;
		}
		if (selector.getMatchLabels() != null && selector.getMatchLabels()
			.entrySet()
			.stream()
			.anyMatch(required -> !required.getValue().equals(labels.get(required.getKey())))) {
			return false;
		}
		List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
				: selector.getMatchExpressions();
		for (LabelSelectorRequirement expression : expressions) {
			String value = labels.get(expression.getKey());
			List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
			boolean matches = switch (String.valueOf(expression.getOperator())) {
				case "In" -> value != null && values.contains(value);
				case "NotIn" -> value == null || !values.contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> false;
			};
			if (!matches) {
				return false;
			}
		}
		return true;
	}

	/** The host names a route is served for on one listener; a null element means any host. */
	static Set<String> intersect(String listenerHost, List<String> routeHosts) {
		Set<String> result = new LinkedHashSet<>();
		if (routeHosts.isEmpty()) {
			result.add(listenerHost);
			return result;
		}
		if (listenerHost == null) {
			result.addAll(routeHosts);
			return result;
		}
		for (String routeHost : routeHosts) {
			if (covers(listenerHost, routeHost)) {
				result.add(routeHost);
			}
			else if (covers(routeHost, listenerHost)) {
				result.add(listenerHost);
			}
		}
		return result;
	}

	/** Whether host pattern {@code wide} admits {@code name}: equal, or {@code *.example.com} over any name below it. */
	private static boolean covers(String wide, String name) {
		if (wide.equals(name)) {
			return true;
		}
		return wide.startsWith("*.") && name.endsWith(wide.substring(1)) && name.length() > wide.length() - 1;
	}

}
