package io.meshgate.gateway.kubernetes.gatewayapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

import io.meshgate.gateway.kubernetes.gatewayapi.GatewayApiTranslator.ParentOutcome;

/**
 * Which listeners of a Gateway take an HTTPRoute, and for which host names (the intersection of
 * the listener's and the route's, as the specification defines it). {@code allowedRoutes.namespaces}
 * {@code Same} (the default) and {@code All} are supported; a {@code Selector} admits no route.
 */
final class Attachment {

	private Attachment() {
	}

	static ParentOutcome attach(HTTPRoute route, ParentReference parent, Gateway gateway) {
		List<String> routeHosts = route.getSpec().getHostnames() == null ? List.of() : route.getSpec().getHostnames();
		List<String> listeners = new ArrayList<>();
		Set<String> hostnames = new LinkedHashSet<>();
		boolean allowedSomewhere = false;
		for (Listener listener : gateway.getSpec().getListeners() == null ? List.<Listener>of()
				: gateway.getSpec().getListeners()) {
			if (parent.getSectionName() != null && !parent.getSectionName().equals(listener.getName())
					|| parent.getPort() != null && !parent.getPort().equals(listener.getPort())
					|| !("HTTP".equals(listener.getProtocol()) || "HTTPS".equals(listener.getProtocol()))
					|| !allows(listener.getAllowedRoutes(), route, gateway)) {
				continue;
			}
			allowedSomewhere = true;
			Set<String> matching = intersect(listener.getHostname(), routeHosts);
			if (!matching.isEmpty()) {
				listeners.add(listener.getName());
				hostnames.addAll(matching);
			}
		}
		if (!allowedSomewhere) {
			return new ParentOutcome(parent, List.of(), Set.of(), "NotAllowedByListeners",
					"no listener of Gateway " + gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName()
							+ " admits this route" + (parent.getSectionName() == null ? "" : " as " + parent.getSectionName()));
		}
		if (listeners.isEmpty()) {
			return new ParentOutcome(parent, List.of(), Set.of(), "NoMatchingListenerHostname",
					"hostnames: " + routeHosts + " (expected: names the listeners accept)");
		}
		return new ParentOutcome(parent, listeners, hostnames, null, null);
	}

	private static boolean allows(AllowedRoutes allowed, HTTPRoute route, Gateway gateway) {
		if (allowed != null && allowed.getKinds() != null && !allowed.getKinds().isEmpty()
				&& allowed.getKinds().stream().noneMatch(k -> "HTTPRoute".equals(k.getKind()))) {
			return false;
		}
		String from = allowed == null || allowed.getNamespaces() == null || allowed.getNamespaces().getFrom() == null
				? "Same" : allowed.getNamespaces().getFrom();
		return switch (from) {
			case "All" -> true;
			case "Same" -> route.getMetadata().getNamespace().equals(gateway.getMetadata().getNamespace());
			default -> false;
		};
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
